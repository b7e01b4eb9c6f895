// The worker's intervals and timeouts, as parameters: Locust's values by default, short ones
// in tests. `Every` is the one timer the shell needs, so a test can pass a fake.

export interface Timing {
  /** How often the worker sends a heartbeat and checks its timeouts (Locust's HEARTBEAT_INTERVAL). */
  readonly heartbeatMs: number;
  /** How often it sends stats (Locust's WORKER_REPORT_INTERVAL). */
  readonly reportMs: number;
  /** client_ready again after this long without an ack (Locust's CONNECT_TIMEOUT). */
  readonly clientReadyRetryMs: number;
  /** No master heartbeat for this long: the master is gone (Locust's MASTER_HEARTBEAT_TIMEOUT). */
  readonly masterHeartbeatTimeoutMs: number;
  /** After a reconnect, a master that knows us answers a heartbeat within about 1 s. */
  readonly registrationProbeMs: number;
  /**
   * client_ready sends on one connection before reconnecting. A master that was frozen (SIGSTOP, a
   * paused VM) may still hold our old connection under the same identity and never read the new
   * one (libzmq ROUTER without handover); a fresh connection gets through once it lets go.
   */
  readonly readyTriesPerConnection: number;
  /**
   * A master that answers heartbeats but has not for this long is not reading: stats reports are
   * held (they are deltas and merge in place) rather than written into a connection nobody reads.
   */
  readonly masterQuietMs: number;
  /**
   * Registering again after the master fell silent: its old connection may still hold our
   * identity, so a client_ready without an ack for this long means a new connection, not a resend.
   */
  readonly silentReadyAckMs: number;
  /** At the heartbeat timeout, users stop; tasks in flight get this long to finish and be counted. */
  readonly silentStopSeconds: number;
  /** How often the Logs tab gets the worker's new lines (Locust's WORKER_LOG_REPORT_INTERVAL). */
  readonly logsMs: number;
}

export const LOCUST_TIMING: Timing = {
  heartbeatMs: 1_000,
  reportMs: 3_000,
  clientReadyRetryMs: 5_000,
  masterHeartbeatTimeoutMs: 60_000,
  registrationProbeMs: 3_500,
  readyTriesPerConnection: 3,
  masterQuietMs: 3_000,
  silentReadyAckMs: 2_000,
  silentStopSeconds: 10,
  logsMs: 10_000,
};

/**
 * LOADWORKER_TIMING: a JSON object of Timing fields in milliseconds (or seconds, for
 * silentStopSeconds), e.g. {"masterHeartbeatTimeoutMs":8000}. For tests and diagnosis: the
 * defaults are Locust's, which the master assumes. Throws a message that says what is wrong.
 */
export function parseTiming(text: string | undefined): Partial<Timing> {
  if (text === undefined || text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`LOADWORKER_TIMING is not JSON: ${text}; give an object such as {"masterHeartbeatTimeoutMs":8000}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`LOADWORKER_TIMING must be a JSON object of timing fields, not ${text}`);
  const timing: Record<string, number> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!(key in LOCUST_TIMING))
      throw new Error(`LOADWORKER_TIMING has an unknown field "${key}"; the fields are: ${Object.keys(LOCUST_TIMING).join(", ")}`);
    if (typeof field !== "number" || !Number.isFinite(field) || field <= 0)
      throw new Error(`LOADWORKER_TIMING.${key} must be a number above 0, not ${JSON.stringify(field)}`);
    timing[key] = field;
  }
  return timing as Partial<Timing>;
}
