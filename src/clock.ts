// Clocks are injected so stats and the lifecycle are testable without sleeping.
export interface Clock {
  /** Monotonic milliseconds (latency, timers). */
  now(): number;
  /** Wall-clock epoch seconds as a float: Locust wants time.time() values. */
  epoch(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epoch: () => Date.now() / 1000,
};
