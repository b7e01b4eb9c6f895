// The lifecycle machine's state: what the worker knows about its master and its users. Plain
// data; machine.ts computes the next one.
import type { MasterMessage } from "../protocol/index.ts";

export type Phase = "connecting" | "ready" | "spawning" | "running" | "stopping" | "quitting";

export interface MachineState {
  readonly phase: Phase;
  /** The current master has acked us (it knows our node id). */
  readonly registered: boolean;
  readonly linkUp: boolean;
  readonly workerIndex: number;
  readonly lastSpawnTimestamp: number;
  readonly stopTimeout: number;
  readonly readySentAt: number | null;
  /** client_ready sent on this connection without an ack; past a few, the connection is suspect. */
  readonly readyTries: number;
  /** The master answers heartbeats (Locust ≥ 2.19); only then is its silence meaningful. */
  readonly masterHeartbeats: boolean;
  readonly lastMasterHeartbeatAt: number | null;
  /** After a reconnect: since when we wait for a heartbeat reply proving the master knows us. */
  readonly probeSince: number | null;
  readonly spawnSeq: number;
  /** Numbers each stop, so a stop that finishes after a re-registration or a newer stop is ignored. */
  readonly stopSeq: number;
  /** A spawn that arrived while stopping: Locust's worker applies it once the stop is done. */
  readonly pendingSpawn: SpawnMessage | null;
  /** The master runs with --reset-stats: drop ramp-up stats when it says spawning is complete. */
  readonly resetStatsOnComplete: boolean;
  /** Registering again after a reconnect to an old master (< 2.19) while keeping the users. */
  readonly keptUsers: boolean;
  /** A test runs on this worker: onTestStart ran, onTestStop is due when it ends. */
  readonly testRunning: boolean;
  /** The master sent spawning_complete, so it is ≥ 2.29 and takes `logs` (older ones log an error). */
  readonly masterTakesLogs: boolean;
}

type SpawnMessage = Extract<MasterMessage, { type: "spawn" }>;

export const initialState: MachineState = {
  phase: "connecting",
  registered: false,
  linkUp: false,
  workerIndex: 0,
  lastSpawnTimestamp: -Infinity,
  stopTimeout: 0,
  readySentAt: null,
  readyTries: 0,
  masterHeartbeats: false,
  lastMasterHeartbeatAt: null,
  probeSince: null,
  spawnSeq: 0,
  stopSeq: 0,
  pendingSpawn: null,
  resetStatsOnComplete: false,
  keptUsers: false,
  testRunning: false,
  masterTakesLogs: false,
};

/**
 * Whether what the worker sends now reaches a master that knows it: not while the link is down
 * (the socket would queue it for whichever master comes back) nor while probing a reconnected one.
 */
export function canReport(state: MachineState): boolean {
  return state.registered && state.linkUp && state.probeSince === null && state.phase !== "quitting";
}
