// The load of `run --processes N` as the parent sees it: N children, each sending its stats
// deltas (child-stream.ts), merged here on arrival the way a master merges its workers'
// reports. The run time counts once every child has begun its users (booted, onTestStart done),
// as in one process. A child that exits before the parent asked it to stop ends the run: it is
// reported, the other children are stopped, the reports are still written and the run exits 1 (a
// restarted child would run onTestStart again and start its users over, which no summary shows).
import type { Clock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { EnginePhase } from "../../standalone/load/engine.ts";
import type { LoadSource } from "../../standalone/run.ts";
import type { RunSink } from "../../standalone/sink.ts";
import { type ChildMessage, LINE_PREFIX, decodeChildLine, lineSplitter } from "./child-stream.ts";

/** The children as the supervisor runs them (the CLI wires its process supervisor to this). */
export interface ChildProcesses {
  /** Asks every child to stop (SIGTERM); restarts none. */
  stop(): void;
  /** Resolves once every child has exited. */
  readonly done: Promise<unknown>;
}

interface Child {
  phase: EnginePhase;
  userCount: number;
  counts: Readonly<Record<string, number>>;
  connections: number;
  ended: boolean;
  /** Its share of --iterations has ended. */
  finished: boolean;
  readonly lines: ReturnType<typeof lineSplitter>;
}

export class ProcessesSource implements LoadSource {
  private readonly children: Child[];
  private startedMs: number | undefined;
  private markStarted: () => void = () => {};
  /** Resolves once every child has begun its users: each booted and ran its onTestStart hooks. */
  readonly started: Promise<void>;
  /** Every child has started all its users (reported with the deltas just merged). */
  readonly rampedUp: Promise<void>;
  /** With --iterations: every child's share of the task runs has ended. */
  readonly finished: Promise<void>;
  private markFinished: () => void = () => {};
  private markRampedUp: () => void = () => {};
  private allRunning = false;
  private stopping = false;
  private lost: string | undefined;
  private procs: ChildProcesses | undefined;
  private readonly warnedBadLine = new Set<number>();
  /** Called when a child exits during the run (the CLI ends the run with "process-exited"). */
  onLost: () => void = () => {};

  constructor(
    readonly count: number,
    private readonly sink: RunSink,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** A child's stdout lines that are not ours (a task's console.log). */
    private readonly passThrough: (line: string) => void,
  ) {
    this.started = new Promise<void>((resolve) => (this.markStarted = resolve));
    this.rampedUp = new Promise<void>((resolve) => (this.markRampedUp = resolve));
    this.finished = new Promise<void>((resolve) => (this.markFinished = resolve));
    this.children = Array.from({ length: count }, () => ({
      phase: "starting",
      userCount: 0,
      counts: {},
      connections: 0,
      ended: false,
      finished: false,
      lines: lineSplitter(),
    }));
  }

  attach(procs: ChildProcesses): void {
    this.procs = procs;
  }

  /** Output from child `index` (1-based) on its stdout. */
  data(index: number, chunk: string): void {
    const child = this.children[index - 1];
    if (!child) return;
    for (const line of child.lines.push(chunk)) this.line(index, child, line);
  }

  /** Child `index` exited; `how` is "code 0", "signal SIGKILL", … */
  exited(index: number, pid: number | undefined, how: string): void {
    const child = this.children[index - 1];
    if (!child || child.ended) return;
    child.phase = "stopping";
    child.userCount = 0;
    child.counts = {};
    child.connections = 0;
    if (this.lost !== undefined) return;
    this.lost = `worker process ${index}/${this.count}${pid === undefined ? "" : ` (pid ${pid})`} exited with ${how} ${this.stopping ? "before sending its last stats" : "during the run"}; the results lack what it did not report`;
    this.log.error(this.lost);
    if (!this.stopping) this.onLost();
  }

  private line(index: number, child: Child, text: string): void {
    // A task's stdout.write without a newline runs into the next report: pass its text, keep the report.
    const at = text.indexOf(LINE_PREFIX);
    if (at > 0) this.passThrough(text.slice(0, at));
    const line = at > 0 ? text.slice(at) : text;
    const message = decodeChildLine(line);
    if (message === null) return this.passThrough(line);
    if ("error" in message) {
      if (!this.warnedBadLine.has(index))
        this.log.warn(
          `worker process ${index}/${this.count} sent a line that is not a stats report (${message.error}); ignoring such lines`,
        );
      this.warnedBadLine.add(index);
      return;
    }
    this.receive(index, child, message);
  }

  private receive(index: number, child: Child, message: ChildMessage): void {
    if (message.type === "end") {
      child.ended = true;
      return;
    }
    child.phase = message.phase;
    child.userCount = message.report.user_count;
    child.counts = message.report.user_classes_count;
    child.connections = message.connections ?? 0;
    child.finished ||= message.finished === true;
    this.sink.merge(message.report, this.clock.epoch());
    if (this.children.every((c) => c.finished)) this.markFinished();
    if (!this.allRunning && this.phase() === "running") {
      this.allRunning = true;
      this.markRampedUp();
    }
    if (this.startedMs === undefined && this.children.every((c) => c.phase !== "starting")) {
      this.startedMs = this.clock.now();
      this.markStarted();
    }
    const node = `process ${index}/${this.count}`;
    for (const x of message.exceptions) for (let i = 0; i < x.count; i++) this.sink.exception(x.msg, x.traceback, node);
  }

  collect(): void {} // the children push their deltas

  phase(): EnginePhase {
    if (this.stopping) return "stopping";
    const phases = this.children.map((c) => c.phase);
    if (phases.every((p) => p === "running" || p === "stopping")) return "running";
    return phases.every((p) => p === "starting") ? "starting" : "ramping";
  }

  userCount(): number {
    return this.children.reduce((sum, c) => sum + c.userCount, 0);
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const c of this.children) for (const [name, n] of Object.entries(c.counts)) counts[name] = (counts[name] ?? 0) + n;
    return counts;
  }

  openConnections(): number {
    return this.children.reduce((sum, c) => sum + c.connections, 0);
  }

  elapsed(): number {
    return this.startedMs === undefined ? 0 : (this.clock.now() - this.startedMs) / 1000;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.procs?.stop();
    await this.procs?.done;
  }

  failure(): string | undefined {
    return this.lost;
  }
}
