// `loadworker run --processes N`: the parent supervises N copies of the same command line
// (processes/supervisor.ts, as the worker's --processes does) and is the run's only reporter; each
// child runs its share of the users and sends its stats deltas on stdout (standalone/child-stream.ts).
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { Plan } from "../../api/plan.ts";
import { systemClock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import { watchParent } from "../orphan.ts";
import { superviseProcesses } from "../supervisor.ts";
import { startChildRun } from "./child-run.ts";
import { lineSplitter } from "./child-stream.ts";
import { ProcessesSource } from "./processes-source.ts";
import type { RunOptions } from "../../standalone/options/run-options.ts";
import { type RunDeps, type StandaloneRun, driveRun } from "../../standalone/run.ts";
import { RunSink } from "../../standalone/sink.ts";
import { announceRun } from "../../standalone/start.ts";
import { KILL_GRACE_MS } from "../../users/pool.ts";
import { type RateLimits, rateLimiterFor } from "../../users/rate-limit.ts";
import { childLaunch } from "../fork.ts";

/**
 * A child: runs its share until the parent signals (or is gone), then sends its last delta and
 * "end" and resolves with 0. The parent owns the run time, the reports and the thresholds.
 */
export function runChild(
  plan: Plan,
  classes: readonly AnyUserDefinition[],
  options: RunOptions,
  share: { index: number; count: number },
  rateLimit: RateLimits | undefined,
  log: Logger,
): Promise<number> {
  // The parent may already be gone when the last lines go out: nothing to do about it here.
  process.stdout.on("error", () => {});
  const write = (text: string) => new Promise<void>((resolve) => void process.stdout.write(text, () => resolve()));
  const limiter = rateLimiterFor(rateLimit, systemClock, share.count);
  const child = startChildRun(plan, classes, options, { clock: systemClock, log, share, write, limiter });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string) => {
      if (stopping) return; // the parent forwards a Ctrl-C and then asks again: one stop is enough
      stopping = true;
      log.debug(`${why}: stopping this process's users`);
      void child.stop().then((code) => {
        unwatch();
        limiter?.close();
        process.off("SIGINT", onInt);
        process.off("SIGTERM", onTerm);
        resolve(code);
      });
    };
    const onInt = () => stop("SIGINT");
    const onTerm = () => stop("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const unwatch = watchParent(() => {
      log.warn("the parent process (run --processes) is gone: stopping");
      stop("orphaned");
    });
  });
}

/** The parent: N children, their deltas merged here, the view, reports and exit code as in one process. */
export function runParent(
  count: number,
  rawArgs: readonly string[],
  classes: readonly AnyUserDefinition[],
  options: RunOptions,
  deps: RunDeps,
  writeLog: (text: string) => void,
): StandaloneRun {
  const { log, clock } = deps;
  announceRun(options, classes, log);
  const sink = new RunSink(clock.epoch(), log, deps.metrics);
  const source = new ProcessesSource(count, sink, clock, log, (line) => log.info(line));
  const supervisor = superviseProcesses({
    count,
    ...childLaunch(["run", ...rawArgs]),
    log,
    restart: false,
    output: "pipe",
    // Children stop their users (stop-timeout, then a kill with its grace) and run onTestStop first.
    stopGraceMs: options.stopTimeout * 1000 + KILL_GRACE_MS + 10_000,
    onStart: (index, child) => {
      child.stdout?.setEncoding("utf8");
      child.stdout?.on("data", (chunk: string) => source.data(index, chunk));
      // The children's logs go where this process's go: above the live view on a terminal.
      const logLines = lineSplitter();
      child.stderr?.setEncoding("utf8");
      child.stderr?.on("data", (chunk: string) => {
        for (const line of logLines.push(chunk)) writeLog(`${line}\n`);
      });
      // "close", not "exit": every line the child wrote has been read by then.
      child.once("close", (code, signal) => source.exited(index, child.pid, signal ? `signal ${signal}` : `code ${code}`));
    },
  });
  source.attach({ stop: () => supervisor.stop("SIGTERM"), done: supervisor.done });
  if (deps.metrics) {
    deps.metrics.users = () => source.counts();
  }
  const running = driveRun(source, sink, options, deps, classes);
  source.onLost = () => running.stop("process-exited");
  return running;
}
