// `run --arrival-rate / --stages`: the open model of one process (docs/open-model.md). Each class
// gets its weight's share of the rate, on its own schedule; an iteration goes to a free user of
// the class, or to a user started for it while the class is under its share of --max-users, or it
// is dropped. Under --processes each process takes the iterations k ≡ index + 1 (mod count) of
// every class's schedule, so the processes together run the schedule of one.
import type { ScheduleRecorder } from "../../stats/index.ts";
import { type Arrivals, type ArrivalTimers, startArrivals } from "../../users/open/executor.ts";
import { Iterations } from "../../users/open/iterations.ts";
import type { OpenClasses } from "../../users/open/open-classes.ts";
import { type ArrivalSchedule, constantRate, rampingRate } from "../../users/open/schedule.ts";
import type { ArrivalOptions } from "../options/arrival.ts";
import { type ProcessShare, type WeightedClass, classTargets, usersInShare } from "./spawn-plan.ts";

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
  private readonly maxUsers: Record<string, number>;
  private running: Arrivals[] = [];
  private pool: GrowablePool | undefined;

  constructor(private readonly opts: ArrivalLoadOptions) {
    // --max-users split as users are (by weight; fixedCount is the closed model's), then this process's share.
    const weighted = opts.classes.map((c) => ({ name: c.name, weight: c.weight }));
    const whole = classTargets(weighted, opts.arrival.maxUsers);
    this.maxUsers = Object.fromEntries(Object.entries(whole).map(([name, n]) => [name, usersInShare(n, opts.share)]));
  }

  iterationsFor(className: string): Iterations | undefined {
    return this.byClass.get(className);
  }

  resized(): void {} // the load sets the counts itself

  /** Starts every class's schedule; users start as the first iterations need them. */
  start(pool: GrowablePool): void {
    this.pool = pool;
    const { opts } = this;
    const sum = opts.classes.reduce((s, c) => s + c.weight, 0);
    for (const c of opts.classes) {
      const iterations = new Iterations({
        now: opts.timers.now,
        grow: () => this.grow(c.name),
        onDropped: () => opts.schedule.dropped(c.name),
        onLate: (ms) => opts.schedule.late(c.name, ms),
      });
      this.byClass.set(c.name, iterations);
      const schedule = classSchedule(opts.arrival, sum > 0 ? c.weight / sum : 0);
      this.running.push(startArrivals({ schedule, timers: opts.timers, share: opts.share, fire: (dueMs) => iterations.offer(dueMs) }));
    }
  }

  /** Iterations handed out so far by this process, every class together. */
  fired(): number {
    return this.running.reduce((s, a) => s + a.fired, 0);
  }

  stop(): void {
    for (const arrivals of this.running) arrivals.stop();
    this.running = [];
  }

  private grow(className: string): boolean {
    const pool = this.pool;
    const users = pool?.counts()[className] ?? 0;
    if (!pool || users >= (this.maxUsers[className] ?? 0)) return false;
    void pool.setTargets({ [className]: users + 1 }, this.opts.stopTimeout);
    return true;
  }
}
