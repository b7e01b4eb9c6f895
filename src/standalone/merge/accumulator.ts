// What the Locust master keeps for a test (RequestStats with its worker_report listener):
// per-(name, method) entries and the Aggregated total extended with every delta report, errors
// merged by key, and task exceptions counted by traceback. Here the "workers" are our own users.
import type { ErrorRow, StatsErrorReport, StatsReport } from "../../stats/index.ts";
import { MergedEntry } from "./merged-entry.ts";
import { compareCodePoints } from "../../text/pyformat.ts";

/** The master's StatsError: the row a worker keeps, with occurrences summed over reports. */
export type MergedError = ErrorRow;

interface MergedException {
  count: number;
  readonly msg: string;
  readonly traceback: string;
  readonly nodes: Set<string>;
}

export class Accumulator {
  /** name → method → entry. */
  private readonly byName = new Map<string, Map<string, MergedEntry>>();
  total: MergedEntry;
  /** Error key → error, in first-seen order (Locust's dict). */
  readonly errors = new Map<string, MergedError>();
  /** Traceback → exception (Locust's runner.exceptions, keyed by hash(traceback)). */
  readonly exceptions = new Map<string, MergedException>();
  /** The open model's misses (docs/open-model.md): iterations dropped for want of a free user, and started late. */
  droppedIterations = 0;
  lateIterations = 0;

  constructor(epoch: number) {
    this.total = new MergedEntry("Aggregated", "", epoch);
  }

  /** on_worker_report: one delta report from the users, merged at `epoch`. */
  merge(report: StatsReport, epoch: number): void {
    for (const row of report.stats) {
      let byMethod = this.byName.get(row.name);
      if (byMethod === undefined) {
        byMethod = new Map();
        this.byName.set(row.name, byMethod);
      }
      let entry = byMethod.get(row.method);
      if (entry === undefined) {
        entry = new MergedEntry(row.name, row.method, epoch);
        byMethod.set(row.method, entry);
      }
      entry.extend(row);
    }
    for (const [key, error] of Object.entries(report.errors)) mergeError(this.errors, key, error);
    this.total.extend(report.stats_total);
    this.droppedIterations += report.dropped_iterations ?? 0;
    this.lateIterations += report.late_iterations ?? 0;
  }

  /**
   * RequestStats.reset_all (--reset-stats, once every user started): every entry and the total
   * start over at `epoch`, the rows stay (with no requests); errors go; exceptions stay, as Locust's runner keeps them.
   */
  reset(epoch: number): void {
    this.total = new MergedEntry("Aggregated", "", epoch);
    for (const byMethod of this.byName.values())
      for (const [method, entry] of byMethod) byMethod.set(method, new MergedEntry(entry.name, method, epoch));
    this.errors.clear();
  }

  /** LocalRunner.log_exception("local", msg, traceback). */
  addException(msg: string, traceback: string, node = "local"): void {
    let row = this.exceptions.get(traceback);
    if (row === undefined) {
      row = { count: 0, msg, traceback, nodes: new Set() };
      this.exceptions.set(traceback, row);
    }
    row.count += 1;
    row.nodes.add(node);
  }

  /** sort_stats(stats.entries): by (name, method), as Python compares tuples of strings. */
  sortedEntries(): MergedEntry[] {
    const names = [...this.byName.keys()].sort(compareCodePoints);
    return names.flatMap((name) => {
      const byMethod = this.byName.get(name) ?? new Map<string, MergedEntry>();
      return [...byMethod.keys()].sort(compareCodePoints).map((method) => byMethod.get(method) as MergedEntry);
    });
  }

  /** The entries recorded under `name`: one method, or every method when `method` is null. */
  entriesNamed(name: string, method: string | null): MergedEntry[] {
    const byMethod = this.byName.get(name);
    if (byMethod === undefined) return [];
    if (method === null) return [...byMethod.values()];
    const entry = byMethod.get(method);
    return entry === undefined ? [] : [entry];
  }

  /** sort_stats(stats.errors): by key. */
  sortedErrors(): MergedError[] {
    return [...this.errors.values()].sort((a, b) => compareCodePoints(a.key, b.key));
  }
}

function mergeError(errors: Map<string, MergedError>, key: string, incoming: StatsErrorReport): void {
  const existing = errors.get(key);
  if (existing === undefined) {
    errors.set(key, {
      key,
      name: incoming.name,
      method: incoming.method,
      error: incoming.error,
      occurrences: incoming.occurrences,
      firstSeen: incoming.first_seen,
      lastSeen: incoming.last_seen,
    });
    return;
  }
  existing.occurrences += incoming.occurrences;
  // Python's walrus checks are truthiness checks: a null (or 0) timestamp changes nothing.
  if (incoming.first_seen)
    existing.firstSeen = existing.firstSeen === null ? incoming.first_seen : Math.min(existing.firstSeen, incoming.first_seen);
  if (incoming.last_seen)
    existing.lastSeen = existing.lastSeen === null ? incoming.last_seen : Math.max(existing.lastSeen, incoming.last_seen);
}
