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
 * The same clock read once per round of microtasks: a value read caches until the queue drains.
 * A record-only sample costs ~100 ns here, and each clock read ~40 ns of it: the users' loop (turn
 * budget) and the recorder (per-second keys) read the time of the round instead. Under Bun the
 * queue drains after every socket event, so with HTTP a round is one request (bench/NOTES.md):
 * each value is read only when asked (the budget wants `now`, the stats `epoch`) and one microtask
 * expires both, so a worker gives its stats and its users one of these, not one each.
 * A round never outlasts an event-loop turn (the turn budget bounds it), so a value is late by
 * at most that, milliseconds: Locust keys requests by the second. Latency must not use it.
 */
export function perRoundClock(clock: Clock): Clock {
  let now = 0;
  let epoch = 0;
  let nowFresh = false;
  let epochFresh = false;
  let expiring = false;
  const expire = () => {
    nowFresh = epochFresh = expiring = false;
  };
  return {
    now: () => {
      if (!nowFresh) {
        now = clock.now();
        nowFresh = true;
        if (!expiring) {
          expiring = true;
          queueMicrotask(expire);
        }
      }
      return now;
    },
    epoch: () => {
      if (!epochFresh) {
        epoch = clock.epoch();
        epochFresh = true;
        if (!expiring) {
          expiring = true;
          queueMicrotask(expire);
        }
      }
      return epoch;
    },
  };
}
