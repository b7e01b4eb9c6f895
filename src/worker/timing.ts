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
  logsMs: 10_000,
};

/** Calls `fn` every `ms` until the returned stop function is called. */
export type Every = (ms: number, fn: () => void) => () => void;

export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};
