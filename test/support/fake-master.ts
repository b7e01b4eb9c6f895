// Drives test/peers/fake_master.py: a libzmq ROUTER that logs what the worker sends and lets a
// test send well-formed or broken messages back.
import { createInterface } from "node:readline";
import { join } from "node:path";
import { ROOT, VENV_BIN, type Proc, startProc } from "./procs.ts";
import { within } from "./wait.ts";

export interface WorkerMessageSeen {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: decoded msgpack from the worker; each test reads the fields of its type
  data: any;
  node_id: string;
  identity: string;
  frames: number;
  int_keys: string[];
  error?: string;
}

export class FakeMaster {
  private readonly seen: WorkerMessageSeen[] = [];
  private waiters: Array<() => void> = [];
  private constructor(
    readonly proc: Proc,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeMaster> {
    const proc = startProc(join(VENV_BIN, "python"), [join(ROOT, "test/peers/fake_master.py")], { stdin: true });
    const lines = createInterface({ input: proc.child.stdout! });
    let master: FakeMaster | undefined;
    const port = await within(
      new Promise<number>((resolve) => {
        lines.on("line", (line) => {
          const parsed = JSON.parse(line);
          if (parsed.port) return resolve(parsed.port);
          master?.seen.push(parsed);
          for (const wake of master?.waiters.splice(0) ?? []) wake();
        });
      }),
      15_000,
      "the fake master to bind",
    );
    master = new FakeMaster(proc, port);
    return master;
  }

  /** Waits for the next message (after `from`) matching the predicate; returns its index too. */
  async next(pred: (m: WorkerMessageSeen) => boolean, from = 0, ms = 10_000): Promise<WorkerMessageSeen & { index: number }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.seen.findIndex((m, i) => i >= from && pred(m));
      if (index >= 0) return { ...(this.seen[index] as WorkerMessageSeen), index };
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for a worker message; saw: ${this.seen
            .slice(from)
            .map((m) => m.type)
            .join(", ")}`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  get count(): number {
    return this.seen.length;
  }

  all(): WorkerMessageSeen[] {
    return [...this.seen];
  }

  send(type: string, data: unknown): void {
    this.write({ msg: [type, data] });
  }

  sendRaw(bytes: Uint8Array): void {
    this.write({ raw: Buffer.from(bytes).toString("base64") });
  }

  sendFrames(frames: Uint8Array[]): void {
    this.write({ frames: frames.map((f) => Buffer.from(f).toString("base64")) });
  }

  private write(cmd: unknown): void {
    this.proc.child.stdin?.write(`${JSON.stringify(cmd)}\n`);
  }

  stop(): void {
    this.proc.kill("SIGKILL");
  }
}
