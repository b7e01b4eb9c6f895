// The one end-to-end fixture: the worker binary of a tasks folder (built once per test process),
// a counting HTTP server on loopback, and every master and worker a test file starts, all stopped
// when the file (or each test) ends. Call `useE2e()` at the top of a test file; it registers the
// hooks itself.
import { afterAll, afterEach, beforeAll } from "bun:test";
import { type HeadlessRun, type UiMaster, startHeadlessMaster, startUiMaster } from "./master.ts";
import { type CountingServer, type Proc, childrenOf, countingServer, requireVenv, startProc, workerBinary } from "./procs.ts";

export interface E2eOptions {
  /** The tasks folder compiled into the worker, from the repository's root (default test/e2e/tasks); false for no worker. */
  tasks?: string | false;
  /** The counting server; `{ log: true }` also keeps every request's path and second; false for none. */
  server?: { log?: boolean } | false;
  /** "each" stops the masters and workers after every test (the binary and the server stay); "all" (default) after the file. */
  stop?: "each" | "all";
}

export interface E2e {
  /** The compiled worker (available from the file's first test on). */
  readonly bin: string;
  /** The same, as support/run-cli.ts's Runner for `loadworker run`. */
  readonly binary: { kind: "binary"; path: string };
  /** The counting server (available from the file's first test on). */
  readonly server: CountingServer;
  /** Starts the worker binary with `args`; it and its children are killed at the stop. */
  worker(args: string[], opts?: { env?: Record<string, string>; cwd?: string }): Proc;
  /** A real Locust master with its web UI (support/master.ts), killed at the stop. */
  uiMaster(opts: Parameters<typeof startUiMaster>[0]): Promise<UiMaster>;
  /** A real headless Locust master (support/master.ts), killed at the stop if it is still running. */
  headlessMaster(opts: Parameters<typeof startHeadlessMaster>[0]): Promise<HeadlessRun>;
  /** Anything else the file starts, undone at the stop (the last registered first). */
  onStop(undo: () => unknown): void;
}

export function useE2e(opts: E2eOptions = {}): E2e {
  const tasks = opts.tasks ?? "test/e2e/tasks";
  const serverOpts = opts.server ?? {};
  let bin: string | undefined;
  let server: CountingServer | undefined;
  let undo: Array<() => unknown> = [];

  beforeAll(async () => {
    requireVenv();
    if (tasks) bin = await workerBinary(tasks);
    if (serverOpts) server = await countingServer(serverOpts);
  }, 180_000);

  async function stop(): Promise<void> {
    const steps = undo.reverse();
    undo = [];
    for (const step of steps) await step();
  }
  if (opts.stop === "each") afterEach(stop);
  afterAll(async () => {
    await stop();
    await server?.close();
  });

  const kill = (p: Proc) => {
    // A stopped process (SIGSTOP) dies of SIGKILL too; its children (--processes) would not.
    for (const pid of childrenOf(p.child.pid as number)) process.kill(pid, "SIGKILL");
    p.kill("SIGKILL");
  };
  const built = () => {
    if (!bin) throw new Error(tasks ? "useE2e: the worker is built in beforeAll; use it inside a test" : "useE2e: no tasks");
    return bin;
  };
  return {
    get bin() {
      return built();
    },
    get binary() {
      return { kind: "binary" as const, path: built() };
    },
    get server() {
      if (!server) throw new Error(serverOpts ? "useE2e: the server starts in beforeAll; use it inside a test" : "useE2e: no server");
      return server;
    },
    worker(args, workerOpts = {}) {
      const p = startProc(built(), args, workerOpts);
      undo.push(() => kill(p));
      return p;
    },
    async uiMaster(masterOpts) {
      const master = await startUiMaster(masterOpts);
      undo.push(() => kill(master.proc));
      return master;
    },
    async headlessMaster(masterOpts) {
      const run = await startHeadlessMaster(masterOpts);
      undo.push(() => kill(run.master));
      return run;
    },
    onStop(step) {
      undo.push(step);
    },
  };
}
