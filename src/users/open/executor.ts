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
  /** The iterations of the schedule this process runs (several processes share one); default all. */
  readonly share?: IterationShare;
  /** The schedule has no iteration left (the last stage ended). */
  readonly onEnd?: () => void;
}

/**
 * A process's part of a schedule shared by several: iteration k (1-based) is its own when
 * (k − 1) mod `cycle` is one of `slots` (ascending, each < cycle). A class's users are dealt to the
 * processes in turn, and slot j is its j-th user: each process runs the iterations of the users it
 * holds, so the processes together run the whole schedule (standalone/load/open-plan.ts).
 */
export interface IterationShare {
  readonly slots: readonly number[];
  readonly cycle: number;
}

export const WHOLE_SCHEDULE: IterationShare = { slots: [0], cycle: 1 };

export interface Arrivals {
  /** Iterations handed out so far. */
  readonly fired: number;
  /** Starts `schedule` over from now (a new rate under a master); the share stays. */
  rebase(schedule: ArrivalSchedule): void;
  stop(): void;
}

export function startArrivals(opts: ArrivalOptions): Arrivals {
  const { timers } = opts;
  const { slots, cycle } = opts.share ?? WHOLE_SCHEDULE;
  let schedule = opts.schedule;
  let startMs = timers.now();
  let round = 0; // cycles of the share passed
  let slot = 0; // index into slots
  let k = 0;
  const first = () => {
    round = 0;
    slot = 0;
    k = (slots[0] ?? Number.POSITIVE_INFINITY) + 1; // no slot: no iteration is ever this process's
  };
  const next = () => {
    if (++slot === slots.length) {
      slot = 0;
      round++;
    }
    k = round * cycle + (slots[slot] as number) + 1;
  };
  first();
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
      next();
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
      first();
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
