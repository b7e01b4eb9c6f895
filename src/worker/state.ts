// The lifecycle machine's state: what the worker knows about its master and its users. Plain
// data; machine.ts computes the next one. A union per phase, and the registration and the
// master's heartbeats as unions of their own, so that a field exists only where it means
// something: a held spawn only while stopping, the client_ready retries only while unregistered,
// held stats only for a master that answers heartbeats.
import type { MasterMessage } from "../protocol/index.ts";

export type SpawnMessage = Extract<MasterMessage, { type: "spawn" }>;

/** Where the worker stands with its master. */
export type Registration =
  | {
      readonly status: "unregistered";
      /**
       * Registering again after the master fell silent: connections left on which one client_ready
       * unanswered for a moment is enough to try the next (then Locust's pace again, for a slow master).
       */
      readonly quickTries: number;
      /** Registering again after a reconnect to an old master (< 2.19) while keeping the users. */
      readonly keptUsers: boolean;
    }
  /** The current master has acked us (it knows our node id). */
  | { readonly status: "registered" }
  /** Acked, then reconnected: since when we wait for a heartbeat reply proving the master knows us. */
  | { readonly status: "probing"; readonly since: number };

/** A master that answers heartbeats (Locust ≥ 2.19); only then is its silence meaningful. */
export interface MasterHeartbeats {
  readonly lastAt: number;
  /**
   * Heartbeats sent since the master's last reply. Silence counts only when several went
   * unanswered: after an event-loop stall, no heartbeat went out, so none could be answered.
   */
  readonly unanswered: number;
  /** Stats reports are held because the master does not answer (said once per silence). */
  readonly holdingStats: boolean;
}

/** What every phase has. */
interface Common {
  readonly linkUp: boolean;
  readonly registration: Registration;
  /** null: the master has not answered a heartbeat (yet, or ever: Locust < 2.19). */
  readonly heartbeats: MasterHeartbeats | null;
  readonly workerIndex: number;
  /** client_ready sent on this connection, and when last: unacked past a few, the connection is suspect. */
  readonly readyTries: number;
  readonly readySentAt: number | null;
  readonly lastSpawnTimestamp: number;
  readonly stopTimeout: number;
  readonly spawnSeq: number;
  /** Numbers each stop, so a stop that finishes after a re-registration or a newer stop is ignored. */
  readonly stopSeq: number;
  /** The master runs with --reset-stats: drop ramp-up stats when it says spawning is complete. */
  readonly resetStatsOnComplete: boolean;
  /** The master sent spawning_complete, so it is ≥ 2.29 and takes `logs` (older ones log an error). */
  readonly masterTakesLogs: boolean;
}

/** The phase and what only it knows. In spawning and running a test runs (onTestStart ran, onTestStop is due). */
export type PhaseState =
  | {
      readonly phase: "connecting" | "ready";
      /** Stats kept through a lost registration: the next spawn sends them instead of resetting. */
      readonly carryStats: boolean;
    }
  | { readonly phase: "spawning" | "running" }
  | {
      readonly phase: "stopping";
      /** A spawn that arrived while stopping: Locust's worker applies it once the stop is done. */
      readonly pendingSpawn: SpawnMessage | null;
      /** The stop ends a test (a stop while ready ends none). */
      readonly testRunning: boolean;
    }
  | { readonly phase: "quitting" };

export type MachineState = Common & PhaseState;
export type Phase = MachineState["phase"];

export const initialState: MachineState = {
  phase: "connecting",
  carryStats: false,
  linkUp: false,
  registration: { status: "unregistered", quickTries: 0, keptUsers: false },
  heartbeats: null,
  workerIndex: 0,
  readyTries: 0,
  readySentAt: null,
  lastSpawnTimestamp: -Infinity,
  stopTimeout: 0,
  spawnSeq: 0,
  stopSeq: 0,
  resetStatsOnComplete: false,
  masterTakesLogs: false,
};

/** The state in another phase: the common fields kept, the old phase's own ones dropped. */
export function withPhase(state: MachineState, phase: PhaseState): MachineState {
  return {
    linkUp: state.linkUp,
    registration: state.registration,
    heartbeats: state.heartbeats,
    workerIndex: state.workerIndex,
    readyTries: state.readyTries,
    readySentAt: state.readySentAt,
    lastSpawnTimestamp: state.lastSpawnTimestamp,
    stopTimeout: state.stopTimeout,
    spawnSeq: state.spawnSeq,
    stopSeq: state.stopSeq,
    resetStatsOnComplete: state.resetStatsOnComplete,
    masterTakesLogs: state.masterTakesLogs,
    ...phase,
  };
}

/** A test runs on this worker: onTestStart ran, onTestStop is due when it ends. */
export function testRunning(state: MachineState): boolean {
  if (state.phase === "stopping") return state.testRunning;
  return state.phase === "spawning" || state.phase === "running";
}

/** The current master knows this worker (a reconnected one may not: it is being probed). */
export function isRegistered(state: MachineState): boolean {
  return state.registration.status !== "unregistered";
}

/** The master answers heartbeats but has gone quiet, so stats are held (silence.ts). */
export function holdingStats(state: MachineState): boolean {
  return state.heartbeats?.holdingStats === true;
}

/**
 * Whether what the worker sends now reaches a master that knows it: not while the link is down
 * (the socket would queue it for whichever master comes back) nor while probing a reconnected one.
 */
export function canReport(state: MachineState): boolean {
  return state.registration.status === "registered" && state.linkUp && state.phase !== "quitting";
}

/**
 * Whether a custom message (ctx.sendMessage) reaches the master: as canReport, and after the quit
 * too. Locust's worker sends quit first and then stops its users, whose on_stop messages the
 * master still handles (it takes a custom message from any node): a logout's "release" is not lost.
 */
export function canSendMessages(state: MachineState): boolean {
  return state.registration.status === "registered" && state.linkUp;
}
