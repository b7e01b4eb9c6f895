// The load side of `loadworker run`: one process's users without a master. It runs the
// onTestStart hooks, ramps users up by weight (its share of them under --processes), hands out
// a stats delta whenever asked, and at the end stops the users and runs the onTestStop hooks.
// What happens to the deltas (merged here, or sent to a parent process) is the caller's choice.
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { Plan } from "../../api/plan.ts";
import type { Clock, Every } from "../../clock.ts";
import type { Logger } from "../../log.ts";
import type { Telemetry } from "../../otel/telemetry.ts";
import { type StatsReport, createStats } from "../../stats/index.ts";
import { userClients } from "../../users/clients.ts";
import { type TaskScope, currentTask } from "../../users/current.ts";
import { describeException } from "../../users/exceptions.ts";
import { nameWatcher } from "../../users/names.ts";
import { IterationQuota } from "../../users/iteration-quota.ts";
import { UserPool } from "../../users/pool.ts";
import { processCpuMs, stallSuspects, watchStalls } from "../../users/stalls.ts";
import { targetHost } from "../../users/target-host.ts";
import type { RateLimiter } from "../../users/rate-limit.ts";
import { runTestHooks } from "../../users/test-hooks.ts";
import type { RunOptions } from "../options/run-options.ts";
import { type ArrivalTimers, realTimers } from "../../users/open/executor.ts";
import { ArrivalLoad } from "./arrival-load.ts";
import { ClassArrivals } from "../../users/open/open-classes.ts";
import { type ProcessShare, ONE_PROCESS, classTargets, plannedUsers, spawnStep, usersAt, usersInShare } from "./spawn-plan.ts";

export type EnginePhase = "starting" | "ramping" | "running" | "stopping";

export interface EngineDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly every: Every;
  /** --max-rps / --request-increase-rate: this process's share of the cap. */
  readonly limiter?: RateLimiter;
  /** Under --processes, which process this is; it runs its share of the users. */
  readonly share?: ProcessShare;
  /** Every delta `collect()` takes. */
  readonly onReport: (report: StatsReport) => void;
  /** Every exception task code threw (no master to flood: all of them count). */
  readonly onException: (msg: string, traceback: string) => void;
  /** The open model's clock and timer (default: `clock.now` and setTimeout). */
  readonly timers?: ArrivalTimers;
  /** `run --otel`: it hears the stats and the clients' calls (started before the engine). */
  readonly telemetry?: Telemetry;
}

export interface Engine {
  /** Takes the stats recorded since the last call and hands them to `onReport`. */
  collect(): void;
  phase(): EnginePhase;
  userCount(): number;
  counts(): Record<string, number>;
  openConnections(): number;
  /** Seconds since the first user started (0 while onTestStart runs). */
  elapsed(): number;
  /** Resolves once spawning has begun, after the onTestStart hooks; undefined when there are none (it began at once). */
  readonly started: Promise<void> | undefined;
  /** Resolves once every user of the ramp-up started (never in the open model, which has none). */
  readonly rampedUp: Promise<void>;
  /** With --iterations: resolves once this process's share of the task runs has ended. */
  readonly finished: Promise<void> | undefined;
  /** Stops spawning and every user (a task in flight gets --stop-timeout), then runs onTestStop; once. */
  stop(): Promise<void>;
}

export function startEngine(plan: Plan, classes: readonly AnyUserDefinition[], options: RunOptions, deps: EngineDeps): Engine {
  const { clock, log } = deps;
  const share = deps.share ?? ONE_PROCESS;
  // The worker's warnings too: a name per request, and a task that blocks the event loop.
  const watchNames = nameWatcher({ warn: (message) => log.warn(message) });
  const stats = createStats(clock, { onNewEntry: (method, name, task) => watchNames(task ?? currentTask(), method, name) });
  const onException = (error: unknown, where: string) => {
    const { msg, traceback } = describeException(error, where);
    deps.onException(msg, traceback);
  };
  // --arrival-rate / --stages: the open model, its own executor beside the closed model's spawn plan.
  // Without them, classes with an arrivalRate are open as under a master: -u sets their users.
  const timers = deps.timers ?? { now: () => clock.now(), after: realTimers.after };
  const open = options.arrival
    ? new ArrivalLoad({ arrival: options.arrival, classes, share, schedule: stats.schedule, timers, stopTimeout: options.stopTimeout })
    : undefined;
  const quota = options.iterations === null ? undefined : new IterationQuota(usersInShare(options.iterations, share));
  const pool = new UserPool({
    plan: { ...plan, users: classes, fallback: classes },
    clock,
    recorder: stats.recorder,
    log,
    onException,
    makeClient: userClients(stats.recorder, clock, deps.telemetry?.tracing),
    limiter: deps.limiter,
    quota,
    openClasses: open ?? new ClassArrivals(stats.schedule, timers),
  });
  // Each class reads 0 once its users stopped, as Locust's user_classes_count keeps it; from the
  // run's end the gauge holds the counts then (endCounts): a run shorter than the export interval
  // exports only at its shutdown, which would otherwise read the stopped users' zeroes.
  let endCounts: Record<string, number> | undefined;
  const zeroes = Object.fromEntries(classes.map((c) => [c.name, 0]));
  deps.telemetry?.attach(stats, () => endCounts ?? { ...zeroes, ...pool.counts() });
  const stopStallWatch = watchStalls({
    now: () => clock.now(),
    every: deps.every,
    suspects: () => stallSuspects(pool.activities(), pool.lastStarted.task),
    warn: (message) => log.warn(message),
    cpuMs: processCpuMs,
  });
  // Locust's parsed_options names, for tasks and hooks that read them.
  const parsedOptions = {
    host: options.host ?? null,
    num_users: options.users,
    spawn_rate: options.spawnRate,
    run_time: options.runTime,
    stop_timeout: options.stopTimeout,
    tags: options.tags,
    exclude_tags: options.excludeTags,
    processes: share.count,
  };
  pool.env = { host: options.host, workerIndex: share.index, parsedOptions };
  const hookCtx = { workerIndex: share.index, host: targetHost({ flag: options.host }), parsedOptions, log };
  const scope: TaskScope = { recorder: stats.recorder, sendMessage: () => {} };
  const weighted = classes.map((c) => ({ name: c.name, weight: c.weight, fixedCount: c.fixedCount }));
  const ownUsers = usersInShare(plannedUsers(weighted, options.users), share);
  let phase: EnginePhase = "starting";
  let startedMs = clock.now();
  let stopSpawning = () => {};
  let stopQuotaWatch = () => {};
  let stopping: Promise<void> | undefined;

  let rampedUp = () => {};
  const ramped = new Promise<void>((resolve) => (rampedUp = resolve));
  let stepTotal = 0;
  const spawnTick = () => {
    const total = usersAt((clock.now() - startedMs) / 1000, options.users, options.spawnRate);
    // Only a new step applies targets: in between, a user that stopped itself stays gone (as in Locust).
    if (total === stepTotal) return;
    stepTotal = total;
    void pool.setTargets(classTargets(weighted, total, share), options.stopTimeout);
    if (total >= options.users) {
      stopSpawning();
      phase = "running";
      log.info(`all ${ownUsers} users started: ${JSON.stringify(pool.counts())}`);
      rampedUp();
      if (quota) stopQuotaWatch = watchQuota(quota, () => pool.userCount, deps.every, log);
    }
  };
  const begin = () => {
    if (phase !== "starting") return; // stopped while onTestStart ran
    phase = "ramping";
    startedMs = clock.now();
    if (open) {
      phase = "running"; // no ramp of users: they start as the iterations need them
      open.start(pool);
      stopSpawning = () => open.stop();
      return;
    }
    stopSpawning = deps.every(Math.min(1_000, Math.max(50, spawnStep(options.spawnRate).seconds * 1_000)), spawnTick);
    spawnTick();
  };
  // Like Locust's LocalRunner.start: test_start fires before the first user spawns.
  const startHooks = plan.testStart.length === 0 ? undefined : runTestHooks(plan.testStart, hookCtx, scope, onException, "onTestStart");
  if (startHooks) void startHooks.then(begin);
  else begin();

  const userCount = () => (phase === "stopping" ? 0 : pool.userCount);
  return {
    collect: () => deps.onReport(stats.report(pool.counts(), userCount())),
    phase: () => phase,
    userCount,
    counts: () => pool.counts(),
    openConnections: () => pool.openConnections(),
    elapsed: () => (phase === "starting" ? 0 : (clock.now() - startedMs) / 1000),
    started: startHooks,
    rampedUp: ramped,
    finished: quota?.done,
    stop() {
      stopping ??= (async () => {
        stopSpawning();
        stopQuotaWatch();
        endCounts = { ...zeroes, ...pool.counts() };
        phase = "stopping";
        log.info(
          `stopping ${pool.userCount} users${options.stopTimeout > 0 ? ` (up to ${options.stopTimeout}s for tasks in flight)` : ""}`,
        );
        await pool.stopAll(options.stopTimeout);
        stopStallWatch();
        // Locust's test_stop fires after the users stopped; after test_start's hooks, never beside them.
        await startHooks;
        if (plan.testStop.length > 0) await runTestHooks(plan.testStop, hookCtx, scope, onException, "onTestStop");
      })();
      return stopping;
    },
  };
}

// After the ramp-up no user is started again (as in Locust): once every one has stopped itself
// (ctx.stopUser()), the task runs left will never run, and the run would wait for them in silence.
function watchQuota(quota: IterationQuota, users: () => number, every: Every, log: Logger): () => void {
  const stop = every(1_000, () => {
    if (users() > 0 || quota.remaining === 0) return;
    stop();
    log.warn(
      `every user has stopped itself (StopUser) with ${quota.remaining} --iterations task runs left, and no user is started after the ramp-up: the run goes on until -t or Ctrl-C`,
    );
  });
  return stop;
}
