// The typed messages the runtime exchanges with a Locust master (docs/PROTOCOL.md). Wire names are
// snake_case; these types are camelCase, except the stats payload, which is Locust's own shape
// (PROTOCOL.md, Stats report) so the stats layer can build it once and the encoder can pass it through field by field.

/** A message from the master, decoded and validated by `decodeMasterMessage`. */
export type MasterMessage =
  | { type: "ack"; index: number }
  | {
      type: "spawn";
      /** Master `time.time()`; spawns with a timestamp <= the last one are stale (PROTOCOL.md, Lifecycle). */
      timestamp: number;
      /** Absolute per-class targets for this worker, zeros and unknown classes included (PROTOCOL.md, Lifecycle). */
      userClassesCount: Record<string, number>;
      /** `null` when the master sent None or "": use your default host (PROTOCOL.md, Lifecycle). */
      host: string | null;
      /** Seconds; None → 0. */
      stopTimeout: number;
      /** `vars(master argparse Namespace)`; `{}` when missing. Keys vary by version. */
      parsedOptions: Record<string, unknown>;
    }
  | { type: "spawning_complete"; userCount: number }
  | { type: "heartbeat" }
  | { type: "stop" }
  | { type: "quit" }
  | { type: "reconnect" }
  | {
      type: "update_user_class";
      userClassName: string;
      host?: string | null;
      weight?: number;
      fixedCount?: number;
      tasks?: string[];
    }
  | { type: "custom"; name: string; data: unknown };

/** Heartbeat states the master accepts; any other string makes it stop counting us (PROTOCOL.md, Worker to master). */
export type HeartbeatState = "ready" | "spawning" | "running";

/** A message to the master; `encodeWorkerMessage` turns it into the wire envelope. */
export type WorkerMessage =
  | { type: "client_ready" }
  | { type: "heartbeat"; state: HeartbeatState; cpuPercent: number; memoryBytes: number }
  | { type: "spawning" }
  | { type: "spawning_complete"; userClassesCount: Record<string, number>; userCount: number }
  | { type: "stats"; report: StatsReport }
  | { type: "client_stopped" }
  | { type: "quit" }
  | { type: "exception"; msg: string; traceback: string }
  | { type: "logs"; lines: string[] }
  /** A task file's own message (sendMessage); `name` is its wire type, `data` goes out as given. */
  | { type: "custom"; name: string; data: unknown };

/**
 * One `StatsEntry.serialize()` dict (PROTOCOL.md, Entries). Counters are deltas since the last report; the three
 * maps are keyed by integers (bucketed ms, epoch seconds) and are sent as msgpack int keys.
 */
export interface StatsEntryReport {
  readonly name: string;
  readonly method: string;
  readonly last_request_timestamp: number | null;
  readonly start_time: number;
  readonly num_requests: number;
  readonly num_none_requests: number;
  readonly num_failures: number;
  readonly total_response_time: number;
  readonly max_response_time: number;
  readonly min_response_time: number | null;
  readonly total_content_length: number;
  readonly response_times: ReadonlyMap<number, number>;
  readonly num_reqs_per_sec: ReadonlyMap<number, number>;
  readonly num_fail_per_sec: ReadonlyMap<number, number>;
}

/** One `StatsError.serialize()` dict (PROTOCOL.md, Errors); `occurrences` is a delta. */
export interface StatsErrorReport {
  readonly name: string;
  readonly method: string;
  readonly error: string;
  readonly occurrences: number;
  readonly first_seen: number | null;
  readonly last_seen: number | null;
}

/** The `stats` message payload (PROTOCOL.md, Stats report). */
export interface StatsReport {
  /** Only entries with requests since the last report. */
  readonly stats: readonly StatsEntryReport[];
  /** The "Aggregated" entry; the master's total comes only from here. */
  readonly stats_total: StatsEntryReport;
  /** Error key → error; a map even when empty. */
  readonly errors: Readonly<Record<string, StatsErrorReport>>;
  /** Required by the master: its user count comes only from here (PROTOCOL.md, Stats report). */
  readonly user_classes_count: Readonly<Record<string, number>>;
  readonly user_count: number;
}
