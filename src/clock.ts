// Clocks are injected so stats and the lifecycle are testable without sleeping.
export interface Clock {
  /** Monotonic milliseconds (latency, timers). */
  now(): number;
  /** Wall-clock epoch seconds as a float: Locust wants time.time() values. */
  epoch(): number;
}

/** Calls `fn` every `ms` until the returned stop function is called; both shells take one, so tests pass fake timers. */
export type Every = (ms: number, fn: () => void) => () => void;

export const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

export const systemClock: Clock = {
  now: () => performance.now(),
  epoch: () => Date.now() / 1000,
};

/**
 * The same clock read once per round of microtasks: the first read caches both values until the
 * queue drains. A record-only sample costs ~100 ns here, and each clock read ~50 ns of it: the
 * users' loop (turn budget) and the recorder (per-second keys) read the time of the round instead.
 * A round never outlasts an event-loop turn (the turn budget bounds it), so a value is late by
 * at most that, milliseconds: Locust keys requests by the second. Latency must not use it.
 */
export function perRoundClock(clock: Clock): Clock {
  let now = 0;
  let epoch = 0;
  let fresh = false;
  const expire = () => {
    fresh = false;
  };
  const read = () => {
    now = clock.now();
    epoch = clock.epoch();
    fresh = true;
    queueMicrotask(expire);
  };
  return {
    now: () => {
      if (!fresh) read();
      return now;
    },
    epoch: () => {
      if (!fresh) read();
      return epoch;
    },
  };
}
