// `run --arrival-rate / --stages`: the open model of one process (docs/open-model.md). The classes
// without a fixedCount share the rate by weight, each on its own schedule; an iteration goes to a
// free user of the class, or to a user started for it while the class is under its share of
// --max-users, or it is dropped. The fixedCount classes run their users as under -u. Under
// --processes each process runs the iterations of the users it holds (open-plan.ts), so the
// processes together run the schedule of one.
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { ScheduleRecorder } from "../../stats/index.ts";
import { type Arrivals, type ArrivalTimers, startArrivals } from "../../users/open/executor.ts";
import { Iterations } from "../../users/open/iterations.ts";
import { ClassArrivals, type OpenClasses } from "../../users/open/open-classes.ts";
import { type ArrivalSchedule, constantRate, rampingRate } from "../../users/open/schedule.ts";
import type { ArrivalOptions } from "../options/arrival.ts";
import { type OpenPlan, openPlan } from "./open-plan.ts";
import type { ProcessShare, WeightedClass } from "./spawn-plan.ts";

/** What the load needs of the pool: its users per class, and to set a class's count. */
export interface GrowablePool {
  counts(): Record<string, number>;
  setTargets(targets: Readonly<Record<string, number>>, stopTimeoutSeconds: number): Promise<void>;
}

export interface ArrivalLoadOptions {
  readonly arrival: ArrivalOptions;
  readonly classes: readonly WeightedClass[];
  readonly share: ProcessShare;
  readonly schedule: ScheduleRecorder;
  readonly timers: ArrivalTimers;
  readonly stopTimeout: number;
}

/** A class's part of the rate: the start rate and every stage's target scaled by its weight. */
export function classSchedule(arrival: ArrivalOptions, fraction: number): ArrivalSchedule {
  if (arrival.stages.length === 0) return constantRate(arrival.rate * fraction);
  return rampingRate(
    arrival.rate * fraction,
    arrival.stages.map((s) => ({ seconds: s.seconds, rate: s.rate * fraction })),
  );
}

export class ArrivalLoad implements OpenClasses {
  private readonly byClass = new Map<string, Iterations>();
  private readonly plan: OpenPlan;
  private readonly fixed: ClassArrivals; // the fixedCount classes: open only with their own arrivalRate, as under -u
  private running: Arrivals[] = [];
  private pool: GrowablePool | undefined;

  constructor(private readonly opts: ArrivalLoadOptions) {
    this.plan = openPlan(opts.classes, opts.arrival.maxUsers, opts.share);
    this.fixed = new ClassArrivals(opts.schedule, opts.timers);
  }

  iterationsFor(className: string, def: AnyUserDefinition): Iterations | undefined {
    return className in this.plan.fixed ? this.fixed.iterationsFor(className, def) : this.byClass.get(className);
  }

  resized(className: string, users: number): void {
    if (className in this.plan.fixed) this.fixed.resized(className, users); // the rate classes' counts are the load's own
  }

  /** Starts the fixed users and every rate class's schedule; its users start as the first iterations need them. */
  start(pool: GrowablePool): void {
    this.pool = pool;
    const { opts } = this;
    void pool.setTargets(this.plan.fixed, opts.stopTimeout);
    for (const c of this.plan.rate) {
      if (c.share === undefined) continue; // no user of it in this process: the others run its iterations
      const iterations = new Iterations({
        now: opts.timers.now,
        grow: () => this.grow(c.name, c.maxUsers),
        onDropped: () => opts.schedule.dropped(c.name),
        onLate: (ms) => opts.schedule.late(c.name, ms),
      });
      this.byClass.set(c.name, iterations);
      const schedule = classSchedule(opts.arrival, c.fraction);
      this.running.push(startArrivals({ schedule, timers: opts.timers, share: c.share, fire: (dueMs) => iterations.offer(dueMs) }));
    }
  }

  /** Iterations handed out so far by this process, every rate class together. */
  fired(): number {
    return this.running.reduce((s, a) => s + a.fired, 0);
  }

  stop(): void {
    for (const arrivals of this.running) arrivals.stop();
    this.running = [];
  }

  private grow(className: string, maxUsers: number): boolean {
    const pool = this.pool;
    const users = pool?.counts()[className] ?? 0;
    if (!pool || users >= maxUsers) return false;
    void pool.setTargets({ [className]: users + 1 }, this.opts.stopTimeout);
    return true;
  }
}
