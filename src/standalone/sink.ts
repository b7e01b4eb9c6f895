// The merged side of a run, which its load source feeds: every delta merged as a master merges
// a worker's report (and counted for /metrics), every exception counted and its traceback logged once.
import type { Logger } from "../log.ts";
import type { StatsReport } from "../stats/index.ts";
import { exceptionLogText } from "../users/exceptions.ts";
import { Accumulator } from "./merge/accumulator.ts";

/** What /metrics reads (metrics/collector.ts has this shape; the CLI passes one with --metrics-port). */
export interface RunMetrics {
  report(report: StatsReport): void;
  exception(): void;
  users: () => Record<string, number>;
  openConnections: () => number;
}

/** The merged side of a run, which the load source feeds. */
export class RunSink {
  readonly acc: Accumulator;
  private readonly loggedTracebacks = new Set<string>();

  constructor(
    epoch: number,
    private readonly log: Logger,
    private readonly metrics: RunMetrics | undefined,
  ) {
    this.acc = new Accumulator(epoch);
  }

  merge(report: StatsReport, epoch: number): void {
    this.metrics?.report(report);
    this.acc.merge(report, epoch);
  }

  /** Each traceback is logged once; every occurrence counts in the reports. */
  exception(msg: string, traceback: string, node?: string): void {
    this.metrics?.exception();
    this.acc.addException(msg, traceback, node);
    if (this.loggedTracebacks.size < 1_000 && !this.loggedTracebacks.has(traceback)) {
      this.loggedTracebacks.add(traceback);
      this.log.error(exceptionLogText(msg, traceback));
    }
  }
}
