// `loadworker run` in one process: this process's own users (load/engine.ts) are the load source
// of the run's shell (run.ts). With --processes the parent's source is its children instead.
import type { AnyUserDefinition } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";
import { realEvery } from "../clock.ts";
import type { Logger } from "../log.ts";
import { startEngine } from "./load/engine.ts";
import type { RunOptions } from "./options/run-options.ts";
import { type RunDeps, type StandaloneRun, driveRun } from "./run.ts";
import { RunSink } from "./sink.ts";

/**
 * The run's first lines. Before the load starts: with no onTestStart hook the first users start
 * at once, and their "all N users started" must not come first.
 */
export function announceRun(
  options: RunOptions,
  classes: readonly { readonly name: string; readonly weight: number; readonly fixedCount?: number }[],
  log: Logger,
): void {
  const time = options.runTime === null ? "" : ` for ${options.runTime}s`;
  const { arrival } = options;
  const how = arrival
    ? `task runs at ${arrival.rate}/s${arrival.stages.map((s) => ` → ${s.rate}/s in ${s.seconds}s`).join("")}, users started as needed up to ${arrival.maxUsers}`
    : `${options.users} users at ${options.spawnRate}/s`;
  log.info(`starting ${how}${time}: ${classes.map(describeClass).join(", ")}`);
  if (options.host === undefined) log.warn("no --host (nor LOADWORKER_HOST): only tasks that request absolute URLs can succeed");
}

function describeClass(c: { readonly name: string; readonly weight: number; readonly fixedCount?: number }): string {
  return (c.fixedCount ?? 0) > 0 ? `${c.name} (fixed ${c.fixedCount})` : `${c.name} (weight ${c.weight})`;
}

/** One process runs every user (no --processes, or one child of it). */
export function startStandalone(plan: Plan, classes: readonly AnyUserDefinition[], options: RunOptions, deps: RunDeps): StandaloneRun {
  announceRun(options, classes, deps.log);
  const sink = new RunSink(deps.clock.epoch(), deps.log, deps.metrics);
  const engine = startEngine(plan, classes, options, {
    clock: deps.clock,
    log: deps.log,
    every: deps.every ?? realEvery,
    limiter: deps.limiter,
    telemetry: deps.telemetry,
    onReport: (report) => sink.merge(report, deps.clock.epoch()),
    onException: (msg, traceback) => sink.exception(msg, traceback),
  });
  if (deps.metrics) {
    deps.metrics.users = () => engine.counts();
    deps.metrics.openConnections = () => engine.openConnections();
  }
  return driveRun(engine, sink, options, deps, classes);
}
