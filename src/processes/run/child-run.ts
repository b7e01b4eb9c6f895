// One child of `run --processes`: its share of the users (standalone/load/engine.ts), and every
// second a stats delta to the parent (child-stream.ts) instead of a view and reports. The parent
// owns the run time and the thresholds; it ends the child with a signal, and the child then stops
// its users, runs onTestStop, sends its last delta and "end", and exits 0. startChildRun takes its
// pipe and clock as parameters; runChild wires it to this process (stdout, signals, the parent).
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { Plan } from "../../api/plan.ts";
import { type Clock, type Every, realEvery, systemClock } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { Telemetry } from "../../otel/telemetry.ts";
import { startEngine } from "../../standalone/load/engine.ts";
import type { ProcessShare } from "../../standalone/load/spawn-plan.ts";
import type { RunOptions } from "../../standalone/options/run-options.ts";
import { type RateLimiter, type RateLimits, rateLimiterFor } from "../../users/rate-limit.ts";
import { watchParent } from "../orphan.ts";
import { type ChildException, encodeChildMessage } from "./child-stream.ts";

export interface ChildDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly share: ProcessShare;
  /** Writes to the parent; resolves once the text is handed to the pipe. */
  readonly write: (text: string) => Promise<void>;
  readonly limiter?: RateLimiter;
  readonly every?: Every;
  readonly telemetry?: Telemetry;
}

const CHILD_REPORT_INTERVAL_MS = 1_000;

export function startChildRun(plan: Plan, classes: readonly AnyUserDefinition[], options: RunOptions, deps: ChildDeps) {
  const exceptions = new Map<string, { msg: string; count: number }>();
  let sent: Promise<void> = Promise.resolve();
  const engine = startEngine(plan, classes, options, {
    clock: deps.clock,
    log: deps.log,
    every: deps.every ?? realEvery,
    limiter: deps.limiter,
    share: deps.share,
    telemetry: deps.telemetry,
    onException: (msg, traceback) => {
      const seen = exceptions.get(traceback);
      if (seen) seen.count++;
      else exceptions.set(traceback, { msg, count: 1 });
    },
    onReport: (report) => {
      const batch: ChildException[] = [...exceptions].map(([traceback, { msg, count }]) => ({ msg, traceback, count }));
      exceptions.clear();
      const connections = engine.openConnections();
      sent = deps.write(encodeChildMessage({ type: "stats", report, phase: engine.phase(), exceptions: batch, connections, finished }));
    },
  });
  const stopReports = (deps.every ?? realEvery)(CHILD_REPORT_INTERVAL_MS, () => engine.collect());
  // At once, not at the next tick: the parent ends the run once every child's share has ended.
  let finished = false;
  void engine.finished?.then(() => {
    finished = true;
    engine.collect();
  });
  // At once, not at the next tick: the parent starts the run time when every child has begun.
  void (engine.started ?? Promise.resolve()).then(() => engine.collect());
  // At once too: --reset-stats starts over when every child has said so; a second later, what the
  // users did meanwhile would go with the ramp-up.
  void engine.rampedUp.then(() => engine.collect());
  let done: Promise<number> | undefined;
  return {
    /** Ends the child's part of the run; the promise resolves once "end" is written. Once only. */
    stop(): Promise<number> {
      done ??= (async () => {
        stopReports();
        await engine.stop();
        engine.collect(); // what finished while the users stopped, onTestStop's records included
        await sent;
        await deps.write(encodeChildMessage({ type: "end" }));
        return 0;
      })();
      return done;
    },
  };
}

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
  telemetry?: Telemetry,
): Promise<number> {
  // The parent may already be gone when the last lines go out: nothing to do about it here.
  process.stdout.on("error", () => {});
  const write = (text: string) => new Promise<void>((resolve) => void process.stdout.write(text, () => resolve()));
  const limiter = rateLimiterFor(rateLimit, systemClock, share.count);
  const child = startChildRun(plan, classes, options, { clock: systemClock, log, share, write, limiter, telemetry });
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
