// What each user is doing, written on the hot path with two stores per task, read by a
// watchdog that warns about tasks that seem to hang.

/** Mutable per-user record: which task runs and since when (monotonic ms). */
export interface Activity {
  task: string | null;
  since: number;
  warned: boolean;
}

export const newActivity = (): Activity => ({ task: null, since: 0, warned: false });

export interface WatchdogOptions {
  now: () => number;
  activities: () => Iterable<[userId: number, className: string, activity: Activity]>;
  hungAfterMs: number;
}

/** Returns the warnings due now: one per task run that has exceeded hungAfterMs. */
export function hungTasks(opts: WatchdogOptions): string[] {
  const now = opts.now();
  const warnings: string[] = [];
  for (const [userId, className, a] of opts.activities()) {
    if (a.task === null || a.warned || now - a.since < opts.hungAfterMs) continue;
    a.warned = true;
    warnings.push(
      `task "${a.task}" of user ${userId} (${className}) has been running for ${Math.round((now - a.since) / 1000)}s; ` +
        "if it hangs, give what it awaits a timeout or ctx.signal (the worker keeps going; stop_timeout ends it on stop)",
    );
  }
  return warnings;
}
