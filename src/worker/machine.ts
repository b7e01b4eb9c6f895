// The worker lifecycle as a pure function (state, event, now, timing) → (state, effects), after
// docs/PROTOCOL.md, Lifecycle. The shell (worker.ts) performs the effects; tests drive this
// directly, without sockets or timers.
import type { MasterMessage } from "../protocol/index.ts";
import type { Effect, HeartbeatState, Transition } from "./effect.ts";
import { onAck, onConnected, onRegistrationTick } from "./registration.ts";
import { onReportDue } from "./silence.ts";
import { type MachineState, type SpawnMessage, canReport, holdingStats, isRegistered, testRunning, withPhase } from "./state.ts";
import { LOCUST_TIMING, type Timing } from "./timing.ts";

export type MachineEvent =
  | { type: "connected" }
  | { type: "disconnected" }
  | { type: "message"; message: MasterMessage }
  | { type: "tick" } // every timing.heartbeatMs
  | { type: "report_due" } // every timing.reportMs
  | { type: "logs_due" } // every timing.logsMs
  | { type: "spawned"; seq: number }
  | { type: "stopped"; seq: number }
  | { type: "shutdown"; reason?: string };

const log = (level: "debug" | "info" | "warn", message: string): Effect => ({ type: "log", level, message });

export function transition(state: MachineState, event: MachineEvent, now: number, timing: Timing = LOCUST_TIMING): Transition {
  if (state.phase === "quitting") return { state, effects: [] };
  switch (event.type) {
    case "connected":
      return onConnected({ ...state, linkUp: true, readyTries: 0 }, now);
    case "disconnected":
      // The socket reports every failed attempt; say it once per outage.
      return {
        state: { ...state, linkUp: false },
        effects: isRegistered(state) && state.linkUp ? [log("warn", "lost the connection to the master; reconnecting")] : [],
      };
    case "message":
      return onMessage(state, event.message, now);
    case "tick":
      return onTick(state, now, timing);
    case "report_due":
      // While probing, the master may be a new one that never heard of us: it would merge our
      // old test's stats into its own. Hold them (they are deltas) until the probe settles.
      // Likewise while the link is down: the socket would queue them for whichever master comes back.
      return canReport(state) ? onReportDue(state, now, timing) : { state, effects: [] };
    case "logs_due":
      return { state, effects: canReport(state) && state.masterTakesLogs ? [{ type: "ship_logs" }] : [] };
    case "spawned":
      if (event.seq !== state.spawnSeq || state.phase !== "spawning") return { state, effects: [] };
      // A master that does not know us answers spawning_complete with quit (2.47) or dies on it
      // (< 2.15): only send it where canReport; otherwise the next stats report carries the counts.
      return { state: withPhase(state, { phase: "running" }), effects: canReport(state) ? [{ type: "spawning_complete" }] : [] };
    case "stopped":
      return onStopped(state, event.seq, now);
    case "shutdown":
      return quit(state, event.reason ?? "shutting down");
  }
}

function onStopped(state: MachineState, seq: number, now: number): Transition {
  if (state.phase !== "stopping" || seq !== state.stopSeq) return { state, effects: [] };
  // Flush before client_stopped: the master merges late stats, and then forgets us until client_ready.
  // Without a master that knows us, say nothing: our stats (zero users) and heartbeats tell it later.
  const effects: Effect[] = canReport(state)
    ? [
        { type: "stats", final: false },
        { type: "send", message: "client_stopped" },
        { type: "send", message: "client_ready" },
      ]
    : [];
  const ready = withPhase({ ...state, readySentAt: now }, { phase: "ready", carryStats: false });
  if (state.testRunning) effects.push({ type: "test_stop" });
  if (!state.pendingSpawn) return { state: ready, effects };
  const next = onSpawn(ready, state.pendingSpawn);
  return { state: next.state, effects: [...effects, ...next.effects] };
}

function onMessage(state: MachineState, message: MasterMessage, now: number): Transition {
  switch (message.type) {
    case "ack":
      return onAck(state, message);
    case "heartbeat":
      return {
        state: {
          ...state,
          heartbeats: { lastAt: now, unanswered: 0, holdingStats: holdingStats(state) },
          registration: state.registration.status === "probing" ? { status: "registered" } : state.registration,
        },
        effects: [],
      };
    case "spawn":
      return onSpawn(state, message);
    case "stop": {
      if (!isRegistered(state)) return { state, effects: [] };
      // Stop, spawn, stop while stopping: the master's last word is stop, so the spawn is void.
      if (state.phase === "stopping") return { state: { ...state, pendingSpawn: null }, effects: [] };
      const stopSeq = state.stopSeq + 1;
      return {
        state: withPhase({ ...state, stopSeq }, { phase: "stopping", pendingSpawn: null, testRunning: testRunning(state) }),
        effects: [{ type: "stop_users", seq: stopSeq, stopTimeout: state.stopTimeout }],
      };
    }
    case "quit":
      return quit(state, "the master sent quit");
    case "reconnect":
      return {
        state,
        effects: [
          log("warn", "the master asked us to reconnect (it received a corrupt message)"),
          { type: "reconnect", reason: "the master asked for it" },
        ],
      };
    case "spawning_complete": {
      const effects: Effect[] = [log("debug", `the master finished spawning ${message.userCount} users in total`)];
      // Locust's worker resets its stats here under --reset-stats, so ramp-up is left out.
      if (state.resetStatsOnComplete) effects.push({ type: "reset_stats" });
      // Only masters ≥ 2.29 send this, and those are the ones that take `logs`.
      return { state: { ...state, masterTakesLogs: true }, effects };
    }
    case "update_user_class": {
      const { type: _type, ...update } = message;
      return {
        state,
        effects: [
          log(
            "info",
            `the master updated user class "${message.userClassName}": ${JSON.stringify(update)}; users started from now on use it`,
          ),
          { type: "update_class", update },
        ],
      };
    }
    case "custom":
      return { state, effects: [{ type: "custom_message", name: message.name, data: message.data }] };
  }
}

function onSpawn(state: MachineState, spawn: SpawnMessage): Transition {
  if (!isRegistered(state)) return { state, effects: [log("debug", "ignoring a spawn while not registered")] };
  if (state.phase === "stopping") {
    // Locust's worker handles messages one at a time, so a spawn waits until the stop is done.
    return {
      state: { ...state, pendingSpawn: spawn },
      effects: [log("debug", "a spawn arrived while stopping; it will be applied once stopped")],
    };
  }
  // Locust's worker sends "spawning" first, even for a spawn it then discards as stale.
  const effects: Effect[] = [{ type: "send", message: "spawning" }];
  if (spawn.timestamp <= state.lastSpawnTimestamp) {
    effects.push(log("debug", `dropping a stale spawn (timestamp ${spawn.timestamp})`));
    return { state, effects };
  }
  const newTest = state.phase === "ready";
  // A new test starts from zero; stats kept through a lost registration go out first (a report
  // zeroes them too), so the master that took us back counts every request we made.
  if (state.phase === "ready") effects.push(state.carryStats ? { type: "stats", final: false } : { type: "reset_stats" });
  // Locust fires test_start once per test, before its first users start; a test that is still
  // "running" (kept through a reconnect) does not start again.
  if (newTest) effects.push({ type: "test_start", host: spawn.host, parsedOptions: spawn.parsedOptions });
  const seq = state.spawnSeq + 1;
  effects.push({
    type: "apply_spawn",
    seq,
    targets: spawn.userClassesCount,
    host: spawn.host,
    stopTimeout: spawn.stopTimeout,
    parsedOptions: spawn.parsedOptions,
  });
  const resetStatsOnComplete = spawn.parsedOptions.reset_stats === true;
  const next = { ...state, spawnSeq: seq, lastSpawnTimestamp: spawn.timestamp, stopTimeout: spawn.stopTimeout, resetStatsOnComplete };
  return { state: withPhase(next, { phase: "spawning" }), effects };
}

function onTick(state: MachineState, now: number, timing: Timing): Transition {
  const registration = onRegistrationTick(state, now, timing);
  if (registration !== undefined) return registration;
  if (!state.linkUp) return { state, effects: [] };
  const hb: HeartbeatState =
    state.phase === "spawning" ? "spawning" : state.phase === "ready" || state.phase === "connecting" ? "ready" : "running";
  const heartbeats = state.heartbeats === null ? null : { ...state.heartbeats, unanswered: state.heartbeats.unanswered + 1 };
  return { state: { ...state, heartbeats }, effects: [{ type: "heartbeat", state: hb }] };
}

function quit(state: MachineState, why: string): Transition {
  const registered = isRegistered(state);
  // Not "sending final stats" to a master that never heard of us (none up, a wrong port).
  const effects: Effect[] = [
    log("info", registered ? `${why}: sending final stats and quit` : `${why}: not registered with a master, so nothing to send`),
  ];
  // The master waits only 0.5 s after its quit: final stats (every class at zero) and quit go
  // out at once, before the users are dropped, so the report still names their classes.
  if (registered) effects.push({ type: "stats", final: true }, { type: "send", message: "quit" });
  effects.push({ type: "kill_users" });
  if (testRunning(state)) effects.push({ type: "test_stop" });
  effects.push({ type: "exit", code: 0 });
  return { state: withPhase(state, { phase: "quitting" }), effects };
}
