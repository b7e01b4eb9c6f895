// A master that answers heartbeats and then goes silent (frozen by SIGSTOP, a long GC, a paused
// VM): what the lifecycle machine does differently for it, as pure functions over its state.
// docs/PROTOCOL.md, Heartbeats and timeouts.
import type { Effect, Transition } from "./effect.ts";
import type { MachineState } from "./state.ts";
import type { Timing } from "./timing.ts";

/** After a silence, connections that get one short client_ready wait before Locust's pace resumes. */
const QUICK_CONNECTIONS = 3;
/** Heartbeats that must go unanswered, besides timing.masterQuietMs, before the master counts as quiet. */
const QUIET_HEARTBEATS = 3;

// A master that answers heartbeats but has gone quiet is not reading (frozen, paused): what we
// write piles up in buffers, and is lost if the connection is dropped. Stats held here stay in
// the worker's stats, merged, and go out in one report once it answers again.
export function onReportDue(state: MachineState, now: number, timing: Timing): Transition {
  const heartbeats = state.heartbeats;
  if (heartbeats === null) return { state, effects: [{ type: "stats", final: false }] };
  const quietMs = now - heartbeats.lastAt;
  if (quietMs >= timing.masterQuietMs && heartbeats.unanswered >= QUIET_HEARTBEATS) {
    if (heartbeats.holdingStats) return { state, effects: [] };
    const why = `the master has not answered a heartbeat for ${Math.round(quietMs / 1000)}s (frozen, overloaded, paused?); holding stats until it does: they are kept and merged, none is lost. If it stays silent, check the master process (its CPU, whether it was stopped)`;
    return { state: { ...state, heartbeats: { ...heartbeats, holdingStats: true } }, effects: [log("warn", why)] };
  }
  const effects: Effect[] = [{ type: "stats", final: false }];
  if (!heartbeats.holdingStats) return { state, effects };
  effects.unshift(log("info", "the master answers again; sending the stats held meanwhile"));
  return { state: { ...state, heartbeats: { ...heartbeats, holdingStats: false } }, effects };
}

/**
 * The heartbeat timeout with the link up: the same master, silent. The users stop, but tasks in
 * flight get timing.silentStopSeconds and their stats are kept for the master that takes us back;
 * registering again starts with quick connections (the old one may still hold our identity).
 */
export function afterSilence(lost: Transition, timing: Timing): Transition {
  const effects = lost.effects
    .filter((e) => e.type !== "reset_stats")
    .map((e): Effect => (e.type === "kill_users" ? { type: "kill_users", graceSeconds: timing.silentStopSeconds } : e));
  // reRegister left it connecting, unregistered and without heartbeats (so holding nothing).
  const state = lost.state;
  if (state.phase !== "connecting" || state.registration.status !== "unregistered") return { state, effects };
  return { state: { ...state, carryStats: true, registration: { ...state.registration, quickTries: QUICK_CONNECTIONS } }, effects };
}

const log = (level: "info" | "warn", message: string): Effect => ({ type: "log", level, message });
