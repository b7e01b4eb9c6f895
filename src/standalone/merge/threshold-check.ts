// Thresholds measured against the merged stats: at the end of the run (a name that recorded
// nothing is a breach, never a silent pass) and during it for --abort-on-fail.
import type { Accumulator } from "./accumulator.ts";
import { avgResponseTime, failRatio, medianResponseTime, responseTimePercentile, totalRps } from "./entry-metrics.ts";
import { MergedEntry } from "./merged-entry.ts";
import { type Selector, type Threshold, compare, isRunMetric } from "../options/threshold.ts";

export interface ThresholdResult {
  readonly threshold: Threshold;
  /** "no-data": nothing was recorded under the name; a breach at the end, pending before. */
  readonly status: "passed" | "failed" | "no-data";
  readonly measured: number | null;
  /** What was measured: "Aggregated", "GET /cart", "压测HttpBin (all methods)". */
  readonly subject: string;
}

export function checkThresholds(acc: Accumulator, thresholds: readonly Threshold[]): ThresholdResult[] {
  return thresholds.map((threshold) => checkOne(acc, threshold));
}

/** At the end of a run: any failed or no-data result is a breach (exit 99). */
export function breached(results: readonly ThresholdResult[]): boolean {
  return results.some((r) => r.status !== "passed");
}

function checkOne(acc: Accumulator, threshold: Threshold): ThresholdResult {
  if (isRunMetric(threshold.metric)) {
    const measured = threshold.metric.kind === "dropped_iterations" ? acc.droppedIterations : acc.lateIterations;
    const status = compare(measured, threshold.operator, threshold.value) ? "passed" : "failed";
    return { threshold, status, measured, subject: "the run's iterations" };
  }
  const found = resolve(acc, threshold.selectors);
  const entry = found.entry;
  if (entry === null || entry.numRequests === 0) {
    return { threshold, status: "no-data", measured: null, subject: found.subject };
  }
  const measured = measure(acc, entry, threshold);
  const status = compare(measured, threshold.operator, threshold.value) ? "passed" : "failed";
  return { threshold, status, measured, subject: found.subject };
}

function resolve(acc: Accumulator, selectors: readonly Selector[]): { entry: MergedEntry | null; subject: string } {
  let subject = "Aggregated";
  for (const selector of selectors) {
    if (selector.kind === "total") return { entry: acc.total, subject };
    subject = selector.method === null ? selector.name : `${selector.method} ${selector.name}`;
    const entries = acc.entriesNamed(selector.name, selector.method);
    if (entries.length === 1) return { entry: entries[0] ?? null, subject };
    if (entries.length > 1) {
      // One name under several methods: their histograms add up, as Locust's extend does.
      const merged = new MergedEntry(selector.name, "", acc.total.startTime);
      for (const e of entries) merged.absorb(e);
      return { entry: merged, subject: `${selector.name} (${entries.map((e) => e.method).join(", ")})` };
    }
  }
  return { entry: null, subject };
}

function measure(acc: Accumulator, entry: MergedEntry, threshold: Threshold): number {
  const metric = threshold.metric;
  switch (metric.kind) {
    case "requests":
      return entry.numRequests;
    case "failures":
      return entry.numFailures;
    case "fail_ratio":
      return failRatio(entry);
    case "rps":
      return totalRps(entry, acc.total);
    case "avg":
      return avgResponseTime(entry);
    case "min":
      return entry.minResponseTime ?? 0;
    case "max":
      return entry.maxResponseTime;
    case "median":
      return medianResponseTime(entry);
    case "percentile":
      return responseTimePercentile(entry, metric.percent);
    case "dropped_iterations":
      return acc.droppedIterations; // checkOne answers these before; here for a total switch
    case "late_iterations":
      return acc.lateIterations;
  }
}
