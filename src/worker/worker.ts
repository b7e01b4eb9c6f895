// The shell around the pure lifecycle: it owns the link, the timers, the stats and the users,
// turns link and timer activity into machine events and performs the machine's effects
// (effects.ts). Transport, clock and intervals are parameters, so tests run it in process.
import { hostname } from "node:os";
import type { Plan } from "../api/plan.ts";
import { type Clock, type Every, perRoundClock, realEvery, systemClock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { type StatsReport as WireStatsReport, type WorkerMessage, decodeMasterMessage, encodeWorkerMessage } from "../protocol/index.ts";
import { type StatsReport, createStats } from "../stats/index.ts";
import type { MetricsCollector } from "../metrics/collector.ts";
import type { Telemetry } from "../otel/telemetry.ts";
import { userClients } from "../users/clients.ts";
import { currentTask } from "../users/current.ts";
import { ClassArrivals } from "../users/open/open-classes.ts";
import type { TaskScope } from "../users/current.ts";
import type { RateLimiter } from "../users/rate-limit.ts";
import { exceptionReporter } from "../users/exceptions.ts";
import { nameWatcher } from "../users/names.ts";
import { type PoolOptions, UserPool } from "../users/pool.ts";
import { processCpuMs, stallSuspects, watchStalls } from "../users/stalls.ts";
import { createControls } from "./controls.ts";
import { type EffectTarget, performEffect } from "./effects.ts";
import type { LinkEvents, LinkFactory } from "./link.ts";
import { type MachineEvent, transition } from "./machine.ts";
import { type MachineState, canReport, canSendMessages, holdingStats, initialState } from "./state.ts";
import type { LogBuffer } from "./logs.ts";
import { LOCUST_TIMING, type Timing } from "./timing.ts";
import { type Usage, usageMeter } from "./usage.ts";

export interface WorkerOptions {
  plan: Plan;
  /** The transport to the master: dealerLink(...) in production, a fake in tests. */
  link: LinkFactory;
  /** Target host used when the master sends none. */
  host?: string;
  nodeId?: string;
  log: Logger;
  clock?: Clock;
  every?: Every;
  timing?: Partial<Timing>;
  usage?: () => Usage;
  /** Each user's HTTP client; real HttpClients recording into the worker's stats by default. */
  makeClient?: PoolOptions["makeClient"];
  /** `--max-rps` / `--request-increase-rate`. */
  limiter?: RateLimiter;
  /** The worker's log lines for the master's Logs tab (the logger writes into it). */
  logBuffer?: LogBuffer;
  /** `--metrics-port`: what /metrics reads. */
  metrics?: MetricsCollector;
  /** OpenTelemetry (--otel here, or the master's): it hears the stats and the clients' calls once started. */
  telemetry?: Telemetry;
}

/** How long an exiting worker waits for onTestStop hooks still running. */
export const HOOKS_ON_EXIT_MS = 5_000;

export interface RunningWorker {
  readonly nodeId: string;
  /** Resolves with the process exit code once the worker has quit. */
  readonly done: Promise<number>;
  /** SIGINT/SIGTERM: final stats and quit to the master, then done resolves. */
  shutdown(): void;
}

// stats/ and protocol/ are sibling layers that may not import each other, so each declares the
// stats payload; this line stops the build when the two drift apart.
true satisfies [StatsReport, WireStatsReport] extends [WireStatsReport, StatsReport] ? true : false;

export function newNodeId(): string {
  return `${hostname()}_${crypto.randomUUID().replaceAll("-", "")}`;
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const clock = opts.clock ?? systemClock;
  const timing: Timing = { ...LOCUST_TIMING, ...opts.timing };
  const every = opts.every ?? realEvery;
  const { log } = opts;
  const nodeId = opts.nodeId ?? newNodeId();
  const watchNames = nameWatcher({ warn: (message) => log.warn(message) });
  // Per-second keys: the time of the round is enough; the users' turn budget reads the same round.
  const roundClock = perRoundClock(clock);
  const stats = createStats(roundClock, {
    onNewEntry: (method, name, task) => watchNames(task ?? currentTask(), method, name),
    scheduleErrors: true, // dropped and late iterations in the master's Failures tab
  });
  let state: MachineState = initialState;
  let exitWith: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (exitWith = resolve));

  const dispatch = (event: MachineEvent): void => {
    const result = transition(state, event, clock.now(), timing);
    state = result.state;
    for (const effect of result.effects) performEffect(effect, target);
  };
  const link = opts.link(nodeId, linkEvents(dispatch, log));
  const send = (message: WorkerMessage) => link.send(encodeWorkerMessage(message, nodeId));
  const exceptions = exceptionReporter(
    log,
    (r) => {
      // Not into a connection the master does not read: counted as held back, and said.
      if (!canReport(state) || holdingStats(state)) return false;
      send({ type: "exception", msg: r.msg, traceback: r.traceback });
      return true;
    },
    () => clock.now(),
  );
  const { metrics } = opts;
  const reportException = metrics
    ? (error: unknown, where: string) => {
        metrics.exception();
        exceptions.report(error, where);
      }
    : exceptions.report;
  let scope: TaskScope | undefined;
  const controls = createControls({
    plan: opts.plan,
    log,
    send,
    canSend: () => canSendMessages(state),
    workerIndex: () => state.workerIndex,
    onException: reportException,
    scope: (sendMessage) => (scope = { recorder: stats.recorder, sendMessage, nodeId }),
    logBuffer: opts.logBuffer,
  });
  const pool = new UserPool({
    plan: opts.plan,
    clock,
    roundClock,
    recorder: stats.recorder,
    openClasses: new ClassArrivals(stats.schedule), // classes with an arrivalRate
    log,
    onException: reportException,
    makeClient: opts.makeClient ?? userClients(stats.recorder, clock, opts.telemetry?.tracing),
    limiter: opts.limiter,
    sendMessage: scope?.sendMessage,
    nodeId,
  });
  pool.env = { ...pool.env, host: opts.host };
  opts.telemetry?.attach(stats, () => pool.counts());
  if (metrics) {
    metrics.users = () => pool.counts();
    metrics.openConnections = () => pool.openConnections();
  }
  const timers = [
    every(timing.heartbeatMs, () => dispatch({ type: "tick" })),
    every(timing.reportMs, () => dispatch({ type: "report_due" })),
    every(timing.logsMs, () => dispatch({ type: "logs_due" })),
    watchStalls({
      now: () => clock.now(),
      every,
      suspects: () => stallSuspects(pool.activities(), pool.lastStarted.task),
      warn: (message) => log.warn(message),
      cpuMs: processCpuMs,
    }),
  ];
  const target: EffectTarget = {
    send,
    link,
    pool,
    stats,
    exceptions,
    usage: opts.usage ?? usageMeter(clock),
    log,
    defaultHost: opts.host,
    workerIndex: () => state.workerIndex,
    dispatch,
    exit: (code: number) => {
      for (const stop of timers) stop();
      opts.limiter?.close();
      // The killed users' onStop (a logout's sendMessage, as Locust's worker sends after its quit)
      // and the onTestStop hooks (a quit ends the test) get a bounded moment before the link closes.
      const hooks = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HOOKS_ON_EXIT_MS);
        void Promise.all([target.usersGone, controls.idle()]).then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      void hooks.then(() => link.close()).then(() => exitWith(code));
    },
    controls,
    metrics,
    telemetry: opts.telemetry,
    beforeSpawn: undefined,
    isCurrentSpawn: (seq) => state.spawnSeq === seq && state.phase === "spawning",
    usersGone: Promise.resolve(),
  };

  link.start();
  return { nodeId, done, shutdown: () => dispatch({ type: "shutdown" }) };
}

/** Link activity as machine events; what is not one Locust message is logged and dropped. */
function linkEvents(dispatch: (event: MachineEvent) => void, log: Logger): LinkEvents {
  return {
    onMessage: (frames) => {
      if (frames.length !== 1)
        return log.warn(`dropped a ${frames.length}-frame message from the master: Locust sends one frame per message`);
      const decoded = decodeMasterMessage(frames[0] as Uint8Array);
      if (!decoded.ok) return log.warn(`dropped a malformed message from the master: ${decoded.error}`);
      dispatch({ type: "message", message: decoded.message });
    },
    onConnected: () => dispatch({ type: "connected" }),
    onDisconnected: () => dispatch({ type: "disconnected" }),
  };
}
