// The shell around the pure lifecycle: it owns the socket, the timers, the stats and the users,
// turns socket and timer activity into machine events and performs the machine's effects.
import { hostname } from "node:os";
import { type Clock, perRoundClock, systemClock } from "../clock.ts";
import { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type WorkerMessage, decodeMasterMessage, encodeWorkerMessage } from "../protocol/index.ts";
import { createStats } from "../stats/index.ts";
import { DealerSocket } from "../transport/index.ts";
import { exceptionReporter } from "./exceptions.ts";
import { type Effect, type MachineEvent, type MachineState, canReport, initialState, transition } from "./machine.ts";
import type { Plan } from "./plan.ts";
import { type PoolOptions, UserPool } from "./pool.ts";
import { usageMeter } from "./usage.ts";

export const HEARTBEAT_INTERVAL_MS = 1_000;
export const REPORT_INTERVAL_MS = 3_000;

export interface WorkerOptions {
  plan: Plan;
  masterHost: string;
  masterPort: number;
  /** Target host used when the master sends none. */
  host?: string;
  nodeId?: string;
  log: Logger;
  clock?: Clock;
}

export interface RunningWorker {
  readonly nodeId: string;
  /** Resolves with the process exit code once the worker has quit. */
  readonly done: Promise<number>;
  /** SIGINT/SIGTERM: final stats and quit to the master, then done resolves. */
  shutdown(): void;
}

/** The pool's client factory: one HttpClient per user, with the class's HTTP settings. */
export function userClients(recorder: Recorder, clock: Clock): PoolOptions["makeClient"] {
  return (host, kill, http) => {
    const client = new HttpClient({ ...http, baseUrl: host, recorder, clock });
    // A kill aborts the requests in flight but leaves the client usable: Locust runs on_stop
    // after killing a user, and a logout there needs the user's connection and cookies.
    kill.addEventListener("abort", () => client.interrupt(kill.reason), { once: true });
    return client;
  };
}

export function newNodeId(): string {
  return `${hostname()}_${crypto.randomUUID().replaceAll("-", "")}`;
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const clock = opts.clock ?? systemClock;
  const { log } = opts;
  const nodeId = opts.nodeId ?? newNodeId();
  const stats = createStats(perRoundClock(clock)); // per-second keys: the time of the round is enough
  const usage = usageMeter(clock);
  let state: MachineState = initialState;
  let exitWith: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (exitWith = resolve));

  const send = (message: WorkerMessage) => socket.send(encodeWorkerMessage(message, nodeId));
  const reportException = exceptionReporter(log, (r) => canReport(state) && send({ type: "exception", msg: r.msg, traceback: r.traceback }), () => clock.now());
  const pool = new UserPool({
    plan: opts.plan,
    clock,
    recorder: stats.recorder,
    log,
    onException: reportException,
    makeClient: userClients(stats.recorder, clock),
  });
  pool.env = { ...pool.env, host: opts.host };

  const socket = new DealerSocket(
    { host: opts.masterHost, port: opts.masterPort, identity: nodeId, log },
    {
      onMessage: (frames) => {
        if (frames.length !== 1) return log.warn(`dropped a ${frames.length}-frame message from the master: Locust sends one frame per message`);
        const decoded = decodeMasterMessage(frames[0] as Uint8Array);
        if (!decoded.ok) return log.warn(`dropped a malformed message from the master: ${decoded.error}`);
        dispatch({ type: "message", message: decoded.message });
      },
      onConnected: () => dispatch({ type: "connected" }),
      onDisconnected: () => dispatch({ type: "disconnected" }),
    },
  );

  function dispatch(event: MachineEvent): void {
    const result = transition(state, event, clock.now());
    state = result.state;
    for (const effect of result.effects) perform(effect);
  }

  function perform(effect: Effect): void {
    switch (effect.type) {
      case "send":
        return send({ type: effect.message });
      case "heartbeat": {
        const { cpuPercent, memoryBytes } = usage();
        return send({ type: "heartbeat", state: effect.state, cpuPercent, memoryBytes });
      }
      case "spawning_complete":
        return send({ type: "spawning_complete", userClassesCount: pool.counts(), userCount: pool.userCount });
      case "stats": {
        const counts = pool.counts();
        if (effect.final) for (const name of Object.keys(counts)) counts[name] = 0;
        return send({ type: "stats", report: stats.report(counts, effect.final ? 0 : pool.userCount) });
      }
      case "reset_stats":
        return stats.clear();
      case "apply_spawn":
        pool.env = { host: effect.host ?? opts.host, workerIndex: state.workerIndex, parsedOptions: effect.parsedOptions };
        // Starting users is synchronous; users this spawn stops may take up to stop_timeout.
        void pool.setTargets(effect.targets, effect.stopTimeout).then(() => {
          log.info(`users now: ${JSON.stringify(pool.counts())}`);
          dispatch({ type: "spawned", seq: effect.seq });
        });
        return;
      case "stop_users":
        log.info("the master asked to stop; stopping users");
        void pool.stopAll(effect.stopTimeout).then(() => dispatch({ type: "stopped", seq: effect.seq }));
        return;
      case "kill_users":
        void pool.stopAll(0);
        return;
      case "reconnect":
        return socket.reconnect(effect.reason);
      case "exit":
        clearInterval(tick);
        clearInterval(report);
        void socket.close().then(() => exitWith(effect.code));
        return;
      case "log":
        return log[effect.level](effect.message);
    }
  }

  const tick = setInterval(() => dispatch({ type: "tick" }), HEARTBEAT_INTERVAL_MS);
  const report = setInterval(() => dispatch({ type: "report_due" }), REPORT_INTERVAL_MS);
  log.info(`connecting to the Locust master at ${opts.masterHost}:${opts.masterPort} as ${nodeId}`);
  socket.start();
  return { nodeId, done, shutdown: () => dispatch({ type: "shutdown" }) };
}
