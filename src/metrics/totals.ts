// Cumulative request totals for /metrics, summed from the stats reports the worker sends: the
// hot path pays nothing, and the counters are exactly what the master was told (up to one
// report interval behind). Prometheus counters only grow, so a new test does not reset them.
import type { StatsReport } from "../stats/index.ts";

export interface RequestTotals {
  readonly method: string;
  readonly name: string;
  requests: number;
  failures: number;
  /** Sum of the timed requests' response times, ms (Locust's total_response_time). */
  sumMs: number;
  /** Locust-rounded response time (ms) → count, as the master buckets them. */
  readonly buckets: Map<number, number>;
}

export class Totals {
  // method → name → totals, like the stats table (no string keys built per entry).
  private readonly byMethod = new Map<string, Map<string, RequestTotals>>();
  /** The open model's iterations dropped (no free user) and started late (docs/open-model.md). */
  droppedIterations = 0;
  lateIterations = 0;

  add(report: StatsReport): void {
    this.droppedIterations += report.dropped_iterations ?? 0;
    this.lateIterations += report.late_iterations ?? 0;
    for (const e of report.stats) {
      let byName = this.byMethod.get(e.method);
      if (!byName) {
        byName = new Map();
        this.byMethod.set(e.method, byName);
      }
      let t = byName.get(e.name);
      if (!t) {
        t = { method: e.method, name: e.name, requests: 0, failures: 0, sumMs: 0, buckets: new Map() };
        byName.set(e.name, t);
      }
      t.requests += e.num_requests;
      t.failures += e.num_failures;
      t.sumMs += e.total_response_time;
      for (const [ms, count] of e.response_times) t.buckets.set(ms, (t.buckets.get(ms) ?? 0) + count);
    }
  }

  entries(): RequestTotals[] {
    const out: RequestTotals[] = [];
    for (const byName of this.byMethod.values()) out.push(...byName.values());
    return out;
  }
}
