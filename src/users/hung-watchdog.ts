// The pool's hung-task watchdog: one interval for all users, and only while there are users, so
// no timer outlives the test. Each check logs the tasks past the limit (activity.ts, once each).
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { type Activity, hungTasks } from "./activity.ts";

const WATCHDOG_INTERVAL_MS = 5_000;

export interface HungWatchdogOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** A task running longer than this is logged as possibly hung; default 60 s. */
  readonly hungAfterMs?: number;
  /** Every running user: its id, class and activity. */
  readonly users: () => Array<[number, string, Activity]>;
}

export class HungWatchdog {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly opts: HungWatchdogOptions) {}

  /** Whether its interval is set (there are users). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Runs while `userCount` > 0; the pool calls it whenever its users change. */
  watch(userCount: number): void {
    if (userCount > 0 && !this.timer) {
      this.timer = setInterval(() => this.check(), WATCHDOG_INTERVAL_MS);
      (this.timer as { unref?: () => void }).unref?.();
    } else if (userCount === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Logs the tasks that have run longer than the limit. */
  check(): void {
    const users = this.opts.users();
    const { clock } = this.opts;
    const warnings = hungTasks({ now: () => clock.now(), hungAfterMs: this.opts.hungAfterMs ?? 60_000, activities: () => users });
    for (const warning of warnings) this.opts.log.warn(warning);
  }
}
