// The open model's clock: it hands out each iteration when the schedule says it is due, whatever
// the responses do (k6's arrival-rate executors; wrk2's constant throughput). One timer, re-armed
// for the next due iteration; the iterations due by a wake-up go out in one batch, each with its
// own scheduled time, so a late timer or a paused process makes them late, never fewer.
import type { ArrivalSchedule } from "./schedule.ts";

/** Monotonic milliseconds and a one-shot timer: passed in, so tests drive them by hand. */
export interface ArrivalTimers {
  now(): number;
  /** Calls fn once after ms; returns its cancel. */
  after(ms: number, fn: () => void): () => void;
}

export const realTimers: ArrivalTimers = {
  now: () => performance.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export interface ArrivalOptions {
  readonly schedule: ArrivalSchedule;
  readonly timers: ArrivalTimers;
  /** An iteration is due: `dueMs` is its scheduled start on the timers' clock. */
  readonly fire: (dueMs: number) => void;
  /** Which of several processes this is: it takes iterations k ≡ index + 1 (mod count), as users are dealt. */
  readonly share?: { readonly index: number; readonly count: number };
  /** The schedule has no iteration left (the last stage ended). */
  readonly onEnd?: () => void;
}

export interface Arrivals {
  /** Iterations handed out so far. */
  readonly fired: number;
  /** Starts `schedule` over from now (a new rate under a master); the share stays. */
  rebase(schedule: ArrivalSchedule): void;
  stop(): void;
}

export function startArrivals(opts: ArrivalOptions): Arrivals {
  const { timers } = opts;
  const share = opts.share ?? { index: 0, count: 1 };
  let schedule = opts.schedule;
  let startMs = timers.now();
  let k = share.index + 1;
  let fired = 0;
  let cancel: (() => void) | undefined;
  let stopped = false;

  const tick = () => {
    cancel = undefined;
    if (stopped) return;
    const now = timers.now();
    let due = startMs + schedule.dueAt(k) * 1000;
    while (due <= now) {
      fired++;
      k += share.count;
      opts.fire(due);
      if (stopped) return; // fire may stop the load
      due = startMs + schedule.dueAt(k) * 1000;
    }
    if (!Number.isFinite(due)) {
      stopped = true;
      opts.onEnd?.();
      return;
    }
    cancel = timers.after(Math.max(0, due - now), tick);
  };
  tick();
  return {
    get fired() {
      return fired;
    },
    rebase(next) {
      cancel?.();
      schedule = next;
      startMs = timers.now();
      k = share.index + 1;
      stopped = false;
      tick();
    },
    stop() {
      stopped = true;
      cancel?.();
      cancel = undefined;
    },
  };
}
