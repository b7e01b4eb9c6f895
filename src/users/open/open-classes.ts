// Which user classes run the open model in a pool, and their free users. Under a master a class
// with `arrivalRate` is open: its users on this worker share one schedule of users × arrivalRate
// iterations per second, restarted whenever the master changes their number. `loadworker run
// --arrival-rate` brings its own (standalone/load/arrival-load.ts).
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { ScheduleRecorder } from "../../stats/index.ts";
import { type Arrivals, type ArrivalTimers, realTimers, startArrivals } from "./executor.ts";
import { Iterations } from "./iterations.ts";
import { constantRate } from "./schedule.ts";

/** What a pool asks about open-model classes. */
export interface OpenClasses {
  /** The free users of `className` if it runs the open model; undefined: a closed-model class. */
  iterationsFor(className: string, def: AnyUserDefinition): Iterations | undefined;
  /** The class now has `users` users (0 when they all stopped). */
  resized(className: string, users: number): void;
}

interface OpenClass {
  readonly iterations: Iterations;
  readonly perUser: number;
  users: number;
  arrivals?: Arrivals;
}

/** The classes with an `arrivalRate`: users × arrivalRate iterations per second each. */
export class ClassArrivals implements OpenClasses {
  private readonly byClass = new Map<string, OpenClass>();

  constructor(
    private readonly schedule: ScheduleRecorder,
    private readonly timers: ArrivalTimers = realTimers,
  ) {}

  iterationsFor(className: string, def: AnyUserDefinition): Iterations | undefined {
    if (def.arrivalRate === undefined) return undefined;
    let open = this.byClass.get(className);
    if (!open) {
      const iterations = new Iterations({
        now: this.timers.now,
        onDropped: () => this.schedule.dropped(className),
        onLate: (ms) => this.schedule.late(className, ms),
      });
      open = { iterations, perUser: def.arrivalRate, users: 0 };
      this.byClass.set(className, open);
    }
    return open.iterations;
  }

  resized(className: string, users: number): void {
    const open = this.byClass.get(className);
    if (!open || open.users === users) return;
    open.users = users;
    if (users === 0) {
      open.arrivals?.stop();
      open.arrivals = undefined;
      open.iterations.forget();
      return;
    }
    const schedule = constantRate(users * open.perUser);
    if (open.arrivals) open.arrivals.rebase(schedule);
    else open.arrivals = startArrivals({ schedule, timers: this.timers, fire: (dueMs) => open.iterations.offer(dueMs) });
  }
}
