// The shell around the pure lifecycle: it owns the socket, the timers, the stats and the users,
// turns socket and timer activity into machine events and performs the machine's effects.
import { hostname } from "node:os";
import { type Clock, systemClock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { type WorkerMessage, decodeMasterMessage, encodeWorkerMessage } from "../protocol/index.ts";
import { createStats } from "../stats/index.ts";
import { exceptionReporter } from "../users/exceptions.ts";
import { type Effect, type MachineEvent, type MachineState, canReport, initialState, transition } from "./machine.ts";
import type { Plan } from "../api/plan.ts";
import { userClients } from "../users/clients.ts";
import { UserPool } from "../users/pool.ts";
import { dealerLink } from "./link.ts";
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

export function newNodeId(): string {
  return `${hostname()}_${crypto.randomUUID().replaceAll("-", "")}`;
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const clock = opts.clock ?? systemClock;
  const { log } = opts;
  const nodeId = opts.nodeId ?? newNodeId();
  const stats = createStats(clock);
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

  const socket = dealerLink({ host: opts.masterHost, port: opts.masterPort }, log)(nodeId, {
      onMessage: (frames) => {
        if (frames.length !== 1) return log.warn(`dropped a ${frames.length}-frame message from the master: Locust sends one frame per message`);
        const decoded = decodeMasterMessage(frames[0] as Uint8Array);
        if (!decoded.ok) return log.warn(`dropped a malformed message from the master: ${decoded.error}`);
        dispatch({ type: "message", message: decoded.message });
      },
      onConnected: () => dispatch({ type: "connected" }),
      onDisconnected: () => dispatch({ type: "disconnected" }),
  });

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
