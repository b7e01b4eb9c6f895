// What each user is doing, written on the hot path with two stores per task, read by a
// watchdog that warns about tasks that seem to hang.

/**
 * Mutable per-user record: which task runs and how many have started. No timestamp: the hot path
 * would read the clock once more per task for it; the watchdog notes when it first saw a run.
 */
export interface Activity {
  task: string | null;
  runs: number;
  /** The watchdog's: the run it last saw, since when (monotonic ms), and whether it warned. */
  seenRun: number;
  seenAt: number;
  warned: boolean;
  /**
   * An open-model user's: how late (ms) its current iteration started, added to its next recorded
   * request (open/late.ts) and then 0. Absent for a closed-model user, whose client records as is.
   */
  lateMs?: number;
}

export const newActivity = (): Activity => ({ task: null, runs: 0, seenRun: -1, seenAt: 0, warned: false });

export interface WatchdogOptions {
  now: () => number;
  activities: () => Iterable<[userId: number, className: string, activity: Activity]>;
  hungAfterMs: number;
}

/**
 * Returns the warnings due now: one per task run seen in flight for hungAfterMs or more (so a
 * run is flagged between hungAfterMs and hungAfterMs plus the interval between checks).
 */
export function hungTasks(opts: WatchdogOptions): string[] {
  const now = opts.now();
  const warnings: string[] = [];
  for (const [userId, className, a] of opts.activities()) {
    if (a.task === null) continue;
    if (a.seenRun !== a.runs) {
      a.seenRun = a.runs;
      a.seenAt = now;
      a.warned = false;
      continue;
    }
    if (a.warned || now - a.seenAt < opts.hungAfterMs) continue;
    a.warned = true;
    warnings.push(
      `task "${a.task}" of user ${userId} (${className}) has been running for ${Math.round((now - a.seenAt) / 1000)}s; ` +
        "if it hangs, give what it awaits a timeout or ctx.signal (the worker keeps going; stop_timeout ends it on stop)",
    );
  }
  return warnings;
}
