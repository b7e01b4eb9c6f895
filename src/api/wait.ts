// Wait-time helpers with Locust's meaning (locust/user/wait_time.py). A wait time is called
// after every task with how long that task ran and returns seconds to sleep.

/** What a wait time gets to decide: the duration of the task that just ran. */
export interface WaitInfo {
  taskSeconds: number;
}

/** Returns seconds to wait before the user's next task. */
export type WaitTime = (info: WaitInfo) => number;

/** Always waits `seconds` (Locust's `constant`). */
export function constant(seconds: number): WaitTime {
  assertSeconds("constant", seconds);
  return () => seconds;
}

/** Waits a uniformly random time between `min` and `max` seconds (Locust's `between`). */
export function between(min: number, max: number, random: () => number = Math.random): WaitTime {
  assertSeconds("between", min);
  assertSeconds("between", max);
  if (max < min) throw new RangeError(`between(${min}, ${max}): max must be >= min`);
  return () => min + random() * (max - min);
}

/**
 * Makes each task start `seconds` after the previous one started, whatever the task took
 * (Locust's `constant_pacing`); a task longer than that is followed by no wait.
 */
export function constantPacing(seconds: number): WaitTime {
  assertSeconds("constantPacing", seconds);
  return ({ taskSeconds }) => Math.max(0, seconds - taskSeconds);
}

/** At most `tasksPerSecond` task runs per second per user (Locust's `constant_throughput`). */
export function constantThroughput(tasksPerSecond: number): WaitTime {
  if (!(tasksPerSecond > 0) || !Number.isFinite(tasksPerSecond)) {
    throw new RangeError(`constantThroughput(${tasksPerSecond}): the rate must be a positive number of tasks per second`);
  }
  return constantPacing(1 / tasksPerSecond);
}

/**
 * Waits a random time drawn from an exponential distribution of mean `1 / rate` seconds, so a
 * user's tasks arrive as a Poisson process of `rate` per second on average (Locust 2.47's
 * `poisson`: `random.expovariate(rate)`, whatever the task took).
 */
export function poisson(rate: number, random: () => number = Math.random): WaitTime {
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new RangeError(`poisson(${rate}): the rate must be a positive number of tasks per second`);
  }
  // Python's expovariate: -log(1 - random()) / lambd (random() is in [0, 1), so the log is finite).
  return () => -Math.log(1 - random()) / rate;
}

function assertSeconds(helper: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${helper}(${value}): seconds must be a finite number >= 0`);
  }
}
