// The worker's request statistics, Locust-exact (stats.py RequestStats as used on a worker):
// per-(name, method) entries plus a separate Aggregated total, reported as deltas.
import type { Clock } from "../clock.ts";
import { StatsEntry } from "./entry.ts";
import { ErrorTable } from "./errors.ts";
import type { Recorder, ScheduleRecorder } from "./recorder.ts";
import type { StatsReport } from "./report.ts";

export interface Stats {
  /** Hot path: synchronous O(1) updates, no I/O. */
  readonly recorder: Recorder;
  /** Open-model iterations dropped or started late: the report's dropped_iterations / late_iterations. */
  readonly schedule: ScheduleRecorder;
  /**
   * Locust's `stats` payload for everything since the last report (or clear), then a reset:
   * the master accumulates, so every report carries deltas (docs/PROTOCOL.md, Stats report).
   */
  report(userClassesCount: Readonly<Record<string, number>>, userCount: number): StatsReport;
  /** A new test (the first spawn after ready): drop all entries and errors, start_time = now. */
  clear(): void;
  /**
   * Hears every request from now on, after it is recorded (src/otel/ for its histogram). The
   * recorder's two functions are replaced, not wrapped in a check: until then a request pays nothing.
   */
  listen(listener: RequestListener): void;
}

/** A recorded request as Locust's request event gives it: `error` undefined for a success. */
export type RequestListener = (method: string, name: string, ms: number, error: unknown) => void;

export interface StatsOptions {
  /**
   * Called when a (method, name) gets its first entry: once per distinct name, never per request,
   * so a watcher can warn about names that grow without bound (an id in every URL). `task` is the
   * one the recorder was told, if any.
   */
  onNewEntry?: (method: string, name: string, task: string | undefined) => void;
  /**
   * Also list dropped and late iterations as errors (method SCHEDULE_METHOD, the class as name):
   * a worker's way to show them in the master's Failures tab, which leaves the request totals alone.
   */
  scheduleErrors?: boolean;
}

/** The Failures tab's rows for the open model's misses (docs/open-model.md). */
export const SCHEDULE_METHOD = "ITERATION";
export const DROPPED_ERROR = "dropped: no user of the class was free at its scheduled start";
export const LATE_ERROR = "late: started 100 ms or more after its scheduled start";

/** Creates empty stats; `clock.epoch()` supplies every Locust timestamp. */
export function createStats(clock: Clock, options: StatsOptions = {}): Stats {
  return new RequestStats(clock, options);
}

class RequestStats implements Stats {
  readonly recorder: Recorder;
  // method → name → entry: no string building per request.
  private entries = new Map<string, Map<string, StatsEntry>>();
  // The entry found last and its keys: a load loop records one name over and over, with the same
  // strings (the client's cached request target), so two Map lookups per request become two compares.
  private lastMethod = "";
  private lastName = "";
  private lastEntry: StatsEntry | undefined;
  private listed: StatsEntry[] = []; // entries with requests since the last report
  private total: StatsEntry;
  private errors = new ErrorTable();
  private periodStart: number; // epoch of the last report or clear
  readonly schedule: ScheduleRecorder;
  private dropped = 0;
  private late = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: StatsOptions,
  ) {
    this.periodStart = clock.epoch();
    this.total = new StatsEntry("Aggregated", "", this.periodStart);
    // Arrow functions so the recorder's methods can be passed around detached.
    this.recorder = {
      success: (method, name, ms, length, task) => {
        this.log(method, name, ms, length, this.clock.epoch(), task);
      },
      // Locust logs a failure as a request (timing, per-second count) and as an error.
      failure: (method, name, ms, error, length = 0, task) => {
        const epoch = this.clock.epoch();
        const second = Math.trunc(epoch);
        this.log(method, name, ms, length, epoch, task).logFailure(second);
        this.total.logFailure(second);
        this.errors.record(method, name, error, epoch);
      },
    };
    const asErrors = options.scheduleErrors === true;
    this.schedule = {
      dropped: (className) => {
        this.dropped++;
        if (asErrors) this.errors.record(SCHEDULE_METHOD, className, DROPPED_ERROR, this.clock.epoch());
      },
      late: (className) => {
        this.late++;
        if (asErrors) this.errors.record(SCHEDULE_METHOD, className, LATE_ERROR, this.clock.epoch());
      },
    };
  }

  listen(listener: RequestListener): void {
    const { success, failure } = this.recorder;
    this.recorder.success = (method, name, ms, length, task) => {
      success(method, name, ms, length, task);
      listener(method, name, ms, undefined);
    };
    this.recorder.failure = (method, name, ms, error, length, task) => {
      failure(method, name, ms, error, length, task);
      listener(method, name, ms, error ?? "failure"); // undefined says success
    };
  }

  // RequestStats.log_request, into the entry and the total; returns the entry.
  private log(method: string, name: string, ms: number, length: number, epoch: number, task: string | undefined): StatsEntry {
    const second = Math.trunc(epoch);
    // NaN/Infinity is "no timing" (Locust's None); a negative elapsed time is clock noise.
    const rt = Number.isFinite(ms) ? Math.max(0, ms) : null;
    const bytes = Number.isFinite(length) && length > 0 ? length : 0;
    const entry = this.entryFor(method, name, epoch, task);
    entry.log(rt, bytes, epoch, second);
    this.total.log(rt, bytes, epoch, second);
    return entry;
  }

  private entryFor(method: string, name: string, epoch: number, task: string | undefined): StatsEntry {
    const last = this.lastEntry;
    if (last !== undefined && name === this.lastName && method === this.lastMethod && last.listed) return last;
    const entry = this.findEntry(method, name, epoch, task);
    this.lastMethod = method;
    this.lastName = name;
    this.lastEntry = entry;
    return entry;
  }

  private findEntry(method: string, name: string, epoch: number, task: string | undefined): StatsEntry {
    let byName = this.entries.get(method);
    if (byName === undefined) {
      byName = new Map();
      this.entries.set(method, byName);
    }
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = new StatsEntry(name, method, epoch);
      byName.set(name, entry);
      this.options.onNewEntry?.(method, name, task);
    }
    if (!entry.listed) {
      entry.listed = true;
      // Locust resets every entry at each report; an entry idle since then would carry that
      // report's time, a brand-new one its creation time.
      entry.startTime = Math.max(entry.startTime, this.periodStart);
      this.listed.push(entry);
    }
    return entry;
  }

  report(userClassesCount: Readonly<Record<string, number>>, userCount: number): StatsReport {
    const epoch = this.clock.epoch();
    const stats = this.listed.map((entry) => {
      const row = entry.report();
      entry.reset(epoch);
      entry.listed = false;
      return row;
    });
    const total = this.total.report();
    this.total.reset(epoch);
    this.listed = [];
    this.periodStart = epoch;
    const report: StatsReport = {
      stats,
      stats_total: total,
      errors: this.errors.drain(),
      user_classes_count: { ...userClassesCount },
      user_count: userCount,
    };
    if (this.dropped === 0 && this.late === 0) return report;
    const missed = { ...report, dropped_iterations: this.dropped, late_iterations: this.late };
    this.dropped = 0;
    this.late = 0;
    return missed;
  }

  clear(): void {
    const epoch = this.clock.epoch();
    this.entries = new Map();
    this.lastEntry = undefined;
    this.listed = [];
    this.total = new StatsEntry("Aggregated", "", epoch);
    this.errors.clear();
    this.dropped = 0;
    this.late = 0;
    this.periodStart = epoch;
  }
}
