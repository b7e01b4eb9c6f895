// The numbers Locust derives from a StatsEntry (stats.py properties), as pure functions of a
// merged entry and the Aggregated total (rps windows are measured against the total's times).
import { CURRENT_WINDOW_SECONDS, type MergedEntry } from "./merged-entry.ts";

/** stats.py PERCENTILES_TO_REPORT: the columns of the CSV and the percentiles table. */
export const PERCENTILES_TO_REPORT = [0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0] as const;

/**
 * calculate_response_time_percentile: walk the bucket keys from the slowest down until what is
 * left is at most `int(numRequests * percent)`; 0 when nothing was timed.
 */
function percentileOf(responseTimes: ReadonlyMap<number, number>, numRequests: number, percent: number): number {
  const wanted = Math.trunc(numRequests * percent);
  let processed = 0;
  for (const key of [...responseTimes.keys()].sort((a, b) => b - a)) {
    processed += responseTimes.get(key) ?? 0;
    if (numRequests - processed <= wanted) return key;
  }
  return 0;
}

/** get_response_time_percentile over the whole run (None-timed requests excluded). */
export function responseTimePercentile(entry: MergedEntry, percent: number): number {
  return percentileOf(entry.responseTimes, entry.numRequests - entry.numNoneRequests, percent);
}

/** median_response_time: the 50th percentile, clamped into [min, max] (buckets are coarse). */
export function medianResponseTime(entry: MergedEntry): number {
  if (entry.responseTimes.size === 0) return 0;
  const median = responseTimePercentile(entry, 0.5);
  if (median > entry.maxResponseTime) return entry.maxResponseTime;
  if (entry.minResponseTime !== null && median < entry.minResponseTime) return entry.minResponseTime;
  return median;
}

export function avgResponseTime(entry: MergedEntry): number {
  const timed = entry.numRequests - entry.numNoneRequests;
  return timed === 0 ? 0 : entry.totalResponseTime / timed;
}

export function failRatio(entry: MergedEntry): number {
  if (entry.numRequests === 0) return entry.numFailures > 0 ? 1 : 0;
  return entry.numFailures / entry.numRequests;
}

export function avgContentLength(entry: MergedEntry): number {
  return entry.numRequests === 0 ? 0 : entry.totalContentLength / entry.numRequests;
}

/** current_rps: the mean of the per-second counts from 12 s to 3 s before the last request. */
export function currentRps(entry: MergedEntry, total: MergedEntry): number {
  return currentPerSecond(entry.reqsPerSec, total);
}

export function currentFailPerSec(entry: MergedEntry, total: MergedEntry): number {
  return currentPerSecond(entry.failPerSec, total);
}

function currentPerSecond(perSecond: ReadonlyMap<number, number>, total: MergedEntry): number {
  if (total.lastRequestTimestamp === null) return 0;
  const last = Math.trunc(total.lastRequestTimestamp);
  const start = Math.max(last - 12, Math.trunc(total.startTime || 0));
  let sum = 0;
  let count = 0;
  for (let second = start; second < last - 2; second++) {
    sum += perSecond.get(second) ?? 0;
    count++;
  }
  return sum / Math.max(count, 1);
}

/** total_rps: requests over the run so far, from the first start to the last request. */
export function totalRps(entry: MergedEntry, total: MergedEntry): number {
  return perRunSecond(entry.numRequests, total);
}

export function totalFailPerSec(entry: MergedEntry, total: MergedEntry): number {
  return perRunSecond(entry.numFailures, total);
}

function perRunSecond(count: number, total: MergedEntry): number {
  if (!total.lastRequestTimestamp || !total.startTime) return 0;
  const span = total.lastRequestTimestamp - total.startTime;
  return span === 0 ? 0 : count / span;
}

/**
 * get_current_response_time_percentile: the histogram of roughly the last 10 s, found by diffing
 * against the cached copy nearest to 10 s ago (t-10, t-11, t-9, … t-18, t-2); null without one.
 */
export function currentResponseTimePercentile(entry: MergedEntry, percent: number, epoch: number): number | null {
  const t = Math.trunc(epoch);
  const acceptable = [t - CURRENT_WINDOW_SECONDS];
  for (let i = 1; i < 9; i++) acceptable.push(t - CURRENT_WINDOW_SECONDS - i, t - CURRENT_WINDOW_SECONDS + i);
  for (const second of acceptable) {
    const cached = entry.cache.get(second);
    if (cached === undefined) continue;
    const diff = new Map<number, number>();
    for (const [key, count] of entry.responseTimes) {
      const delta = count - (cached.responseTimes.get(key) ?? 0);
      if (delta !== 0) diff.set(key, delta);
    }
    const timed = entry.numRequests - entry.numNoneRequests - (cached.numRequests - cached.numNoneRequests);
    return percentileOf(diff, timed, percent);
  }
  return null;
}

/**
 * get_readable_percentiles: `50%`, `99.9%`, `100%`: the integer when percent×100 is one,
 * else round(100 × percent, 6) as Python prints it.
 */
export function readablePercentile(percent: number): string {
  const hundred = percent * 100;
  if (Number.isInteger(hundred)) return `${hundred}%`;
  return `${Number((100 * percent).toFixed(6))}%`;
}
