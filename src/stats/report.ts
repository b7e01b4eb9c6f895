// The report the stats layer produces: Locust's StatsEntryDict / StatsErrorDict wire shape
// (docs/PROTOCOL.md, Stats report). Declared here rather than imported so stats/ depends on nothing but the
// clock; protocol/ declares the same shape, and worker/worker.ts fails the build if they drift.

export interface StatsEntryReport {
  readonly name: string;
  readonly method: string;
  /** Epoch seconds of the last request logged in the interval, or null if none. */
  readonly last_request_timestamp: number | null;
  /** Epoch seconds of the entry's last reset (previous report, clear, or creation). */
  readonly start_time: number;
  /** Includes failures and untimed requests. */
  readonly num_requests: number;
  readonly num_none_requests: number;
  readonly num_failures: number;
  /** Float milliseconds, summed over timed requests. */
  readonly total_response_time: number;
  readonly max_response_time: number;
  readonly min_response_time: number | null;
  readonly total_content_length: number;
  /** Bucketed ms (see bucketResponseTime) → count. */
  readonly response_times: ReadonlyMap<number, number>;
  /** `Math.trunc(epoch)` → requests logged in that second, failures included. */
  readonly num_reqs_per_sec: ReadonlyMap<number, number>;
  readonly num_fail_per_sec: ReadonlyMap<number, number>;
}

export interface StatsErrorReport {
  readonly name: string;
  readonly method: string;
  readonly error: string;
  /** Occurrences since the last report. */
  readonly occurrences: number;
  readonly first_seen: number | null;
  readonly last_seen: number | null;
}

export interface StatsReport {
  /** Entries with requests since the last report only. */
  readonly stats: readonly StatsEntryReport[];
  /** "Aggregated" (method ""): every request, always present. */
  readonly stats_total: StatsEntryReport;
  /** Error key (sha256 hex) → error. */
  readonly errors: Readonly<Record<string, StatsErrorReport>>;
  readonly user_classes_count: Readonly<Record<string, number>>;
  readonly user_count: number;
  /** Open-model iterations dropped (no free user) and started late since the last report; absent when none. */
  readonly dropped_iterations?: number;
  readonly late_iterations?: number;
}
