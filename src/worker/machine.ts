// The worker lifecycle as a pure function (state, event, now, timing) → (state, effects), after
// docs/PROTOCOL.md, Lifecycle. The shell (worker.ts) performs the effects; tests drive this
// directly, without sockets or timers.
import type { MasterMessage } from "../protocol/index.ts";
import type { Effect, HeartbeatState, Transition } from "./effect.ts";
import { type MachineState, canReport } from "./state.ts";
import { afterSilence, onReportDue } from "./silence.ts";
import { LOCUST_TIMING, type Timing } from "./timing.ts";

type SpawnMessage = Extract<MasterMessage, { type: "spawn" }>;

export type MachineEvent =
  | { type: "connected" }
  | { type: "disconnected" }
  | { type: "message"; message: MasterMessage }
  | { type: "tick" } // every timing.heartbeatMs
  | { type: "report_due" } // every timing.reportMs
  | { type: "logs_due" } // every timing.logsMs
  | { type: "spawned"; seq: number }
  | { type: "stopped"; seq: number }
  | { type: "shutdown" };

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
        effects: state.registered && state.linkUp ? [log("warn", "lost the connection to the master; reconnecting")] : [],
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
      return { state: { ...state, phase: "running" }, effects: canReport(state) ? [{ type: "spawning_complete" }] : [] };
    case "stopped": {
      if (state.phase !== "stopping" || event.seq !== state.stopSeq) return { state, effects: [] };
      // Flush before client_stopped: the master merges late stats, and then forgets us until client_ready.
      // Without a master that knows us, say nothing: our stats (zero users) and heartbeats tell it later.
      const effects: Effect[] = canReport(state)
        ? [
            { type: "stats", final: false },
            { type: "send", message: "client_stopped" },
            { type: "send", message: "client_ready" },
          ]
        : [];
      const ready: MachineState = { ...state, phase: "ready", readySentAt: now, pendingSpawn: null, testRunning: false };
      if (state.testRunning) effects.push({ type: "test_stop" });
      if (!state.pendingSpawn) return { state: ready, effects };
      const next = onSpawn(ready, state.pendingSpawn);
      return { state: next.state, effects: [...effects, ...next.effects] };
    }
    case "shutdown":
      return quit(state, "shutting down");
  }
}

function onConnected(state: MachineState, now: number): Transition {
  if (!state.registered) return register(state, now, []);
  if (state.masterHeartbeats) {
    // Same master after a network blip, or a restarted one that has never heard of us: its heartbeat reply tells.
    return { state: { ...state, probeSince: now }, effects: [log("info", "reconnected to the master")] };
  }
  // A master that never answers heartbeats (< 2.19) cannot tell us whether it knows us, so say
  // client_ready again (a restarted one learns of us) but keep users and stats: after a mere
  // network blip the same master would not re-dispatch them (its dispatcher stays "in progress").
  // Its next spawn applies in place (counts are absolute); our stats restore its user count.
  return register({ ...state, registered: false, keptUsers: true }, now, [
    log("info", "reconnected to a master that does not answer heartbeats (Locust < 2.19); registering again, keeping users"),
  ]);
}

function onMessage(state: MachineState, message: MasterMessage, now: number): Transition {
  switch (message.type) {
    case "ack": {
      const effects: Effect[] = [];
      if (!state.registered) effects.push(log("info", `registered with the master as worker index ${message.index}`));
      // Kept users through a reconnect to an old master, but a new index means a new master: start clean.
      if (state.keptUsers && message.index !== state.workerIndex) {
        effects.push(
          log("info", "the master gave a new worker index: it restarted; dropping the old test's users"),
          { type: "kill_users" },
          { type: "reset_stats" },
        );
        if (state.testRunning) effects.push({ type: "test_stop" });
        return {
          state: {
            ...state,
            registered: true,
            keptUsers: false,
            quickTries: 0,
            carryStats: false,
            phase: "ready",
            workerIndex: message.index,
            probeSince: null,
            lastSpawnTimestamp: -Infinity,
            testRunning: false,
          },
          effects,
        };
      }
      const phase = state.phase === "connecting" ? "ready" : state.phase;
      return {
        state: { ...state, registered: true, keptUsers: false, quickTries: 0, phase, workerIndex: message.index, probeSince: null },
        effects,
      };
    }
    case "heartbeat":
      return {
        state: { ...state, masterHeartbeats: true, lastMasterHeartbeatAt: now, probeSince: null, unansweredHeartbeats: 0 },
        effects: [],
      };
    case "spawn":
      return onSpawn(state, message);
    case "stop": {
      if (!state.registered) return { state, effects: [] };
      // Stop, spawn, stop while stopping: the master's last word is stop, so the spawn is void.
      if (state.phase === "stopping") return { state: { ...state, pendingSpawn: null }, effects: [] };
      const stopSeq = state.stopSeq + 1;
      return {
        state: { ...state, phase: "stopping", stopSeq },
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
  if (!state.registered) return { state, effects: [log("debug", "ignoring a spawn while not registered")] };
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
  if (newTest) effects.push(state.carryStats ? { type: "stats", final: false } : { type: "reset_stats" });
  // Locust fires test_start once per test, before its first users start; a test that is still
  // "running" here (kept through a reconnect) does not start again.
  if (newTest && !state.testRunning) effects.push({ type: "test_start", host: spawn.host, parsedOptions: spawn.parsedOptions });
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
  const carryStats = state.carryStats && !newTest;
  return {
    state: {
      ...state,
      phase: "spawning",
      spawnSeq: seq,
      lastSpawnTimestamp: spawn.timestamp,
      stopTimeout: spawn.stopTimeout,
      resetStatsOnComplete,
      testRunning: true,
      carryStats,
    },
    effects,
  };
}

function onTick(state: MachineState, now: number, timing: Timing): Transition {
  if (!state.registered) {
    // After a silence, the master may still hold our old connection and ignore this one: a
    // client_ready unanswered for a moment calls for a new connection (see Timing).
    const quick = state.quickTries > 0;
    const wait = quick && state.readyTries > 0 ? timing.silentReadyAckMs : timing.clientReadyRetryMs;
    const due = state.linkUp && (state.readySentAt === null || now - state.readySentAt >= wait);
    if (!due) return { state, effects: [] };
    if (state.readyTries >= (quick ? 1 : timing.readyTriesPerConnection)) {
      const why = `no ack from the master after ${state.readyTries} client_ready; trying a new connection`;
      return {
        state: { ...state, linkUp: false, readySentAt: null, readyTries: 0, quickTries: Math.max(0, state.quickTries - 1) },
        effects: [log("warn", why), { type: "reconnect", reason: why }],
      };
    }
    return register(state, now, []);
  }
  if (state.probeSince !== null && now - state.probeSince >= timing.registrationProbeMs) {
    return reRegister(state, now, "the master does not know this worker any more (it restarted?); registering again");
  }
  if (state.lastMasterHeartbeatAt !== null && now - state.lastMasterHeartbeatAt >= timing.masterHeartbeatTimeoutMs) {
    // The connection itself may be dead without a reset (a lost node, a dropped NAT entry): open a new one.
    const seconds = timing.masterHeartbeatTimeoutMs / 1000;
    if (!state.linkUp)
      return reRegister(
        state,
        now,
        `no heartbeat from the master for ${seconds}s; stopping users, reconnecting and registering again`,
        true,
      );
    // Connected but silent: the same master, frozen or cut off. It counts on our stats when it is back.
    return afterSilence(
      reRegister(
        state,
        now,
        `no heartbeat from the master for ${seconds}s (frozen? paused? cut off?); stopping users (tasks in flight get ${timing.silentStopSeconds}s), keeping their stats for the master, reconnecting and registering again`,
        true,
      ),
      timing,
    );
  }
  if (!state.linkUp) return { state, effects: [] };
  const hb: HeartbeatState =
    state.phase === "spawning" ? "spawning" : state.phase === "ready" || state.phase === "connecting" ? "ready" : "running";
  return { state: { ...state, unansweredHeartbeats: state.unansweredHeartbeats + 1 }, effects: [{ type: "heartbeat", state: hb }] };
}

function register(state: MachineState, now: number, effects: Effect[]): Transition {
  return {
    state: { ...state, readySentAt: now, readyTries: state.readyTries + 1 },
    effects: [...effects, { type: "send", message: "client_ready" }],
  };
}

function reRegister(state: MachineState, now: number, why: string, reconnect = false): Transition {
  const fresh: MachineState = {
    ...state,
    phase: "connecting",
    registered: false,
    probeSince: null,
    lastMasterHeartbeatAt: null,
    masterHeartbeats: false,
    lastSpawnTimestamp: -Infinity,
    pendingSpawn: null,
    // A stop still finishing belongs to the old registration: its "stopped" must not count.
    stopSeq: state.stopSeq + 1,
    carryStats: false,
    holdingStats: false,
    unansweredHeartbeats: 0,
    testRunning: false,
  };
  const effects: Effect[] = [log("warn", why), { type: "kill_users" }, { type: "reset_stats" }];
  if (state.testRunning) effects.push({ type: "test_stop" });
  // After a reconnect, the "connected" event sends client_ready on the new connection.
  if (reconnect)
    return {
      state: { ...fresh, linkUp: false, readySentAt: null, readyTries: 0 },
      effects: [...effects, { type: "reconnect", reason: why }],
    };
  return fresh.linkUp ? register(fresh, now, effects) : { state: { ...fresh, readySentAt: null }, effects };
}

function quit(state: MachineState, why: string): Transition {
  const effects: Effect[] = [log("info", `${why}: sending final stats and quit`)];
  // The master waits only 0.5 s after its quit: final stats (every class at zero) and quit go
  // out at once, before the users are dropped, so the report still names their classes.
  if (state.registered) effects.push({ type: "stats", final: true }, { type: "send", message: "quit" });
  effects.push({ type: "kill_users" });
  if (state.testRunning) effects.push({ type: "test_stop" });
  effects.push({ type: "exit", code: 0 });
  return { state: { ...state, phase: "quitting", testRunning: false }, effects };
}
