// One point per reporting interval for the charts and the JSON history: what Locust's
// update_stats_history keeps (current rps, failures/s, current percentiles, users), plus totals.
import type { Accumulator } from "./accumulator.ts";
import { avgResponseTime, currentFailPerSec, currentResponseTimePercentile, currentRps } from "./entry-metrics.ts";

export interface HistoryPoint {
  /** Epoch seconds. */
  readonly time: number;
  readonly user_count: number;
  /** Locust's current_rps / current_fail_per_sec: the mean over the seconds 12 to 3 ago. */
  readonly current_rps: number;
  readonly current_fail_per_sec: number;
  /** Percentiles of roughly the last 10 s (Locust's current percentiles); null before there is a window. */
  readonly response_time_percentile_50: number | null;
  readonly response_time_percentile_95: number | null;
  readonly response_time_percentile_99: number | null;
  readonly total_avg_response_time: number;
  readonly num_requests: number;
  readonly num_failures: number;
  /** The open model's iterations dropped and started late in this interval (0 in the closed model). */
  readonly dropped_iterations: number;
  readonly late_iterations: number;
}

/** Dropped and late iterations in the interval a point covers. */
export interface IntervalMisses {
  readonly dropped: number;
  readonly late: number;
}

export function historyPoint(
  acc: Accumulator,
  epoch: number,
  userCount: number,
  misses: IntervalMisses = { dropped: 0, late: 0 },
): HistoryPoint {
  const total = acc.total;
  return {
    time: epoch,
    user_count: userCount,
    current_rps: currentRps(total, total),
    current_fail_per_sec: currentFailPerSec(total, total),
    response_time_percentile_50: currentResponseTimePercentile(total, 0.5, epoch),
    response_time_percentile_95: currentResponseTimePercentile(total, 0.95, epoch),
    response_time_percentile_99: currentResponseTimePercentile(total, 0.99, epoch),
    total_avg_response_time: avgResponseTime(total),
    num_requests: total.numRequests,
    num_failures: total.numFailures,
    dropped_iterations: misses.dropped,
    late_iterations: misses.late,
  };
}
