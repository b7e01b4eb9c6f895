// What the live view shows at one moment, taken from the merged stats: plain data, so the
// views are pure functions of (snapshot, size).
import type { Accumulator } from "../merge/accumulator.ts";
import { currentRps, responseTimePercentile } from "../merge/entry-metrics.ts";
import type { MergedEntry } from "../merge/merged-entry.ts";

export interface ViewRow {
  readonly method: string;
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  /** Locust's current rps (the seconds 12 to 3 ago). */
  readonly rps: number;
  /** Whole-run percentiles from Locust's buckets, as its web UI table shows them. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface ViewSnapshot {
  /** Seconds since the first user started. */
  readonly elapsed: number;
  /** null: runs until interrupted. */
  readonly runTime: number | null;
  readonly phase: "ramping" | "running" | "stopping";
  readonly users: number;
  readonly targetUsers: number;
  /** The open model's misses so far (docs/open-model.md); absent in the closed model. */
  readonly misses?: { readonly dropped: number; readonly late: number };
  readonly rows: readonly ViewRow[];
  readonly total: ViewRow;
}

function viewRow(entry: MergedEntry, total: MergedEntry): ViewRow {
  return {
    method: entry.method,
    name: entry.name,
    requests: entry.numRequests,
    failures: entry.numFailures,
    rps: currentRps(entry, total),
    p50: responseTimePercentile(entry, 0.5),
    p95: responseTimePercentile(entry, 0.95),
    p99: responseTimePercentile(entry, 0.99),
    max: entry.maxResponseTime,
  };
}

export function viewSnapshot(
  acc: Accumulator,
  run: { elapsed: number; runTime: number | null; phase: ViewSnapshot["phase"]; users: number; targetUsers: number; open?: boolean },
): ViewSnapshot {
  const { open, ...shown } = run;
  const misses = open || acc.droppedIterations > 0 ? { dropped: acc.droppedIterations, late: acc.lateIterations } : undefined;
  return {
    ...shown,
    ...(misses && { misses }),
    rows: acc.sortedEntries().map((e) => viewRow(e, acc.total)),
    total: viewRow(acc.total, acc.total),
  };
}
