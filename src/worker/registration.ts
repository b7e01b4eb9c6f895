// Registering with the master, the part of the lifecycle machine (machine.ts) that concerns who
// knows whom: client_ready until acked, a reconnected master probed by its heartbeat reply,
// a silent or forgetful one left for a new registration. docs/PROTOCOL.md, Lifecycle.
import type { MasterMessage } from "../protocol/index.ts";
import type { Effect, Transition } from "./effect.ts";
import { afterSilence } from "./silence.ts";
import { type MachineState, type Registration, isRegistered, testRunning, withPhase } from "./state.ts";
import type { Timing } from "./timing.ts";

const log = (level: "debug" | "info" | "warn", message: string): Effect => ({ type: "log", level, message });
const UNREGISTERED: Extract<Registration, { status: "unregistered" }> = { status: "unregistered", quickTries: 0, keptUsers: false };

export function onConnected(state: MachineState, now: number): Transition {
  if (!isRegistered(state)) return register(state, now, []);
  if (state.heartbeats !== null) {
    // Same master after a network blip, or a restarted one that has never heard of us: its heartbeat reply tells.
    return { state: { ...state, registration: { status: "probing", since: now } }, effects: [log("info", "reconnected to the master")] };
  }
  // A master that never answers heartbeats (< 2.19) cannot tell us whether it knows us, so say
  // client_ready again (a restarted one learns of us) but keep users and stats: after a mere
  // network blip the same master would not re-dispatch them (its dispatcher stays "in progress").
  // Its next spawn applies in place (counts are absolute); our stats restore its user count.
  return register({ ...state, registration: { ...UNREGISTERED, keptUsers: true } }, now, [
    log("info", "reconnected to a master that does not answer heartbeats (Locust < 2.19); registering again, keeping users"),
  ]);
}

export function onAck(state: MachineState, ack: Extract<MasterMessage, { type: "ack" }>): Transition {
  const effects: Effect[] = [];
  if (!isRegistered(state)) effects.push(log("info", `registered with the master as worker index ${ack.index}`));
  const registered: MachineState = { ...state, registration: { status: "registered" }, workerIndex: ack.index };
  // Kept users through a reconnect to an old master, but a new index means a new master: start clean.
  const kept = state.registration.status === "unregistered" && state.registration.keptUsers;
  if (kept && ack.index !== state.workerIndex) {
    effects.push(
      log("info", "the master gave a new worker index: it restarted; dropping the old test's users"),
      { type: "kill_users" },
      { type: "reset_stats" },
    );
    if (testRunning(state)) effects.push({ type: "test_stop" });
    return { state: withPhase({ ...registered, lastSpawnTimestamp: -Infinity }, { phase: "ready", carryStats: false }), effects };
  }
  if (state.phase !== "connecting") return { state: registered, effects };
  return { state: withPhase(registered, { phase: "ready", carryStats: state.carryStats }), effects };
}

/** The registration's part of the heartbeat tick; undefined when it has nothing to say (a registered, live master). */
export function onRegistrationTick(state: MachineState, now: number, timing: Timing): Transition | undefined {
  const registration = state.registration;
  if (registration.status === "unregistered") {
    // After a silence, the master may still hold our old connection and ignore this one: a
    // client_ready unanswered for a moment calls for a new connection (see Timing).
    const quick = registration.quickTries > 0;
    const wait = quick && state.readyTries > 0 ? timing.silentReadyAckMs : timing.clientReadyRetryMs;
    const due = state.linkUp && (state.readySentAt === null || now - state.readySentAt >= wait);
    if (!due) return { state, effects: [] };
    if (state.readyTries >= (quick ? 1 : timing.readyTriesPerConnection)) {
      const why = `no ack from the master after ${state.readyTries} client_ready; trying a new connection`;
      const quickTries = Math.max(0, registration.quickTries - 1);
      return {
        state: { ...state, linkUp: false, readySentAt: null, readyTries: 0, registration: { ...registration, quickTries } },
        effects: [log("warn", why), { type: "reconnect", reason: why }],
      };
    }
    return register(state, now, []);
  }
  if (registration.status === "probing" && now - registration.since >= timing.registrationProbeMs) {
    return reRegister(state, now, "the master does not know this worker any more (it restarted?); registering again");
  }
  if (state.heartbeats !== null && now - state.heartbeats.lastAt >= timing.masterHeartbeatTimeoutMs) {
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
  return undefined;
}

/** client_ready, counted against this connection. */
export function register(state: MachineState, now: number, effects: Effect[]): Transition {
  return {
    state: { ...state, readySentAt: now, readyTries: state.readyTries + 1 },
    effects: [...effects, { type: "send", message: "client_ready" }],
  };
}

function reRegister(state: MachineState, now: number, why: string, reconnect = false): Transition {
  const fresh = withPhase(
    {
      ...state,
      registration: UNREGISTERED,
      heartbeats: null,
      lastSpawnTimestamp: -Infinity,
      // A stop still finishing belongs to the old registration: its "stopped" must not count.
      stopSeq: state.stopSeq + 1,
    },
    { phase: "connecting", carryStats: false },
  );
  const effects: Effect[] = [log("warn", why), { type: "kill_users" }, { type: "reset_stats" }];
  if (testRunning(state)) effects.push({ type: "test_stop" });
  // After a reconnect, the "connected" event sends client_ready on the new connection.
  if (reconnect)
    return {
      state: { ...fresh, linkUp: false, readySentAt: null, readyTries: 0 },
      effects: [...effects, { type: "reconnect", reason: why }],
    };
  return fresh.linkUp ? register(fresh, now, effects) : { state: { ...fresh, readySentAt: null }, effects };
}
