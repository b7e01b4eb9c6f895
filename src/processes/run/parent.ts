// `loadworker run --processes N`: the parent supervises N copies of the same command line
// (supervisor.ts, as the worker's --processes does) and is the run's only reporter: the children's
// deltas (child-stream.ts) are its load source (processes-source.ts), under the standalone shell.
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { RunOptions } from "../../standalone/options/run-options.ts";
import { type RunDeps, type StandaloneRun, driveRun } from "../../standalone/run.ts";
import { RunSink } from "../../standalone/sink.ts";
import { announceRun } from "../../standalone/start.ts";
import { KILL_GRACE_MS } from "../../users/pool.ts";
import { childLaunch } from "../fork.ts";
import { superviseProcesses } from "../supervisor.ts";
import { lineSplitter } from "./child-stream.ts";
import { ProcessesSource } from "./processes-source.ts";

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
    deps.metrics.openConnections = () => source.openConnections();
  }
  const running = driveRun(source, sink, options, deps, classes);
  source.onLost = () => running.stop("process-exited");
  return running;
}
