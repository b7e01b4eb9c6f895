// What `GET /metrics` reads from a running worker. Created only with --metrics-port: without it
// the worker holds no collector and pays nothing on any path.
import type { StatsReport } from "../stats/index.ts";
import type { MetricsSnapshot } from "./prometheus.ts";
import { Totals } from "./totals.ts";

export class MetricsCollector {
  private readonly totals = new Totals();
  private exceptions = 0;
  /** Filled in by the worker once its users exist. */
  users: () => Record<string, number> = () => ({});
  openConnections: () => number = () => 0;

  /** Every stats report the worker sends (deltas) adds to the counters. */
  report(report: StatsReport): void {
    this.totals.add(report);
  }

  exception(): void {
    this.exceptions++;
  }

  snapshot(): MetricsSnapshot {
    const cpu = process.cpuUsage();
    return {
      requests: this.totals.entries(),
      users: this.users(),
      exceptions: this.exceptions,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      residentBytes: process.memoryUsage.rss(),
      openConnections: this.openConnections(),
      droppedIterations: this.totals.droppedIterations,
      lateIterations: this.totals.lateIterations,
    };
  }
}
