// The merged stats, CSV files and console tables against Locust's own master code
// (test/peers/locust_report_rules.py) fed the very same delta reports.
import { beforeAll, describe, expect, test } from "bun:test";
import { createStats } from "../../../src/stats/index.ts";
import type { StatsEntryReport, StatsReport } from "../../../src/stats/index.ts";
import { Accumulator } from "../../../src/standalone/merge/accumulator.ts";
import { exceptionsCsv, failuresCsv, HISTORY_CSV_HEADER, historyCsvRows, statsCsv } from "../../../src/standalone/report/csv-report.ts";
import {
  PERCENTILES_TO_REPORT,
  avgResponseTime,
  currentResponseTimePercentile,
  currentRps,
  failRatio,
  medianResponseTime,
  responseTimePercentile,
  totalRps,
} from "../../../src/standalone/merge/entry-metrics.ts";
import { errorReport, percentilesTable, statsTable } from "../../../src/standalone/report/locust-tables.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";
import { FakeClock } from "../../support/fake-clock.ts";
import { recordRun } from "../recorded-run.ts";

interface PythonOut {
  stats_csv: string;
  failures_csv: string;
  exceptions_csv: string;
  history_header: string;
  history_row: string;
  history_full_rows: string;
  summary_total: string[];
  summary_current: string[];
  percentiles: string[];
  errors: string[];
  entries: Array<{
    name: string;
    method: string;
    current_rps: number;
    total_rps: number;
    median: number;
    avg: number;
    fail_ratio: number;
    percentiles: number[];
    current_percentiles: Array<number | null>;
  }>;
}

const EXCEPTIONS: Array<[string, string, string]> = [
  ["TypeError('x') in task browse", "in task browse\nTypeError: x\n    at browse (tasks/shop.ts:3:9)", "local"],
  ["TypeError('x') in task browse", "in task browse\nTypeError: x\n    at browse (tasks/shop.ts:3:9)", "local"],
  ['Error("a, \\"quoted\\"") in task b', 'in task b\nError: a, "quoted"', "local"],
];

function wire(entry: StatsEntryReport): unknown {
  return {
    ...entry,
    response_times: Object.fromEntries(entry.response_times),
    num_reqs_per_sec: Object.fromEntries(entry.num_reqs_per_sec),
    num_fail_per_sec: Object.fromEntries(entry.num_fail_per_sec),
  };
}

function wireReport(report: StatsReport): unknown {
  return { ...report, stats: report.stats.map(wire), stats_total: wire(report.stats_total) };
}

// Two windows: the end of the run, and 5 s into a quiet stretch (rates fall, caches age); and an
// 80-column terminal, where Locust's STATS_NAME_WIDTH is 0 (columns - 80) and the name column negative.
// And a run whose stats started over after its 20th report (--reset-stats, Locust's reset_all).
const RESET_AFTER = 20;
const WINDOWS = [
  ["at the end of the run", 80, 0, false],
  ["in a quiet stretch, on a narrow terminal", 41, 5, false],
  ["on an 80-column terminal", 0, 0, false],
  ["after --reset-stats midway", 80, 0, true],
] as const;
for (const [label, nameWidth, extraQuiet, resets] of WINDOWS) {
  describe(`merged reports ${label}`, () => {
    let py: PythonOut;
    let acc: Accumulator;
    let now: number;
    beforeAll(() => {
      const clock = new FakeClock(1_795_592_059.25);
      const stats = createStats(clock);
      const created = clock.epoch();
      acc = new Accumulator(created);
      const reports: Array<{ epoch: number; report: StatsReport }> = [];
      let resetEpoch: number | undefined;
      recordRun(stats.recorder, clock, () => {
        const report = stats.report({ Shopper: 3 }, 3);
        if (resets && reports.length === RESET_AFTER) {
          resetEpoch = clock.epoch() - 0.5;
          acc.reset(resetEpoch);
        }
        reports.push({ epoch: clock.epoch(), report });
        acc.merge(report, clock.epoch());
      });
      expect(reports.length).toBeGreaterThan(RESET_AFTER + 5);
      for (const [msg, tb, node] of EXCEPTIONS) acc.addException(msg, tb, node);
      now = clock.epoch() + extraQuiet;
      py = runLocustScript("locust_report_rules.py", {
        created,
        reports: reports.map((r) => ({ epoch: r.epoch, report: wireReport(r.report) })),
        exceptions: EXCEPTIONS,
        now,
        user_count: 3,
        name_width: nameWidth,
        reset: resetEpoch === undefined ? undefined : { after: RESET_AFTER, epoch: resetEpoch },
      }) as PythonOut;
    });

    test("derive the same numbers per entry as Locust's master", () => {
      const ours = [...acc.sortedEntries(), acc.total].map((e) => ({
        name: e.name,
        method: e.method,
        current_rps: currentRps(e, acc.total),
        total_rps: totalRps(e, acc.total),
        median: medianResponseTime(e),
        avg: avgResponseTime(e),
        fail_ratio: failRatio(e),
        percentiles: PERCENTILES_TO_REPORT.map((p) => responseTimePercentile(e, p)),
        current_percentiles: PERCENTILES_TO_REPORT.map((p) => currentResponseTimePercentile(e, p, now)),
      }));
      expect(ours.length).toBeGreaterThan(4);
      expect(ours).toEqual(py.entries);
    });

    test("write _stats.csv byte for byte as Locust", () => {
      expect(statsCsv(acc)).toBe(py.stats_csv);
    });

    test("write _failures.csv byte for byte as Locust", () => {
      expect(failuresCsv(acc)).toBe(py.failures_csv);
      expect(py.failures_csv.split("\r\n").length).toBeGreaterThan(4);
    });

    test("write _exceptions.csv byte for byte as Locust", () => {
      expect(exceptionsCsv(acc)).toBe(py.exceptions_csv);
    });

    test("write the _stats_history.csv header and an interval's row byte for byte as Locust", () => {
      expect(HISTORY_CSV_HEADER).toBe(py.history_header);
      expect(historyCsvRows(acc, now, 3)).toBe(py.history_row);
    });

    test("with --csv-full-history write an interval's row per entry, current percentiles and all, byte for byte as Locust", () => {
      expect(py.history_full_rows.split("\r\n").length).toBeGreaterThan(5);
      expect(historyCsvRows(acc, now, 3, true)).toBe(py.history_full_rows);
    });

    test("print the stats, percentile and error tables line for line as Locust", () => {
      expect(statsTable(acc, false, nameWidth)).toEqual(py.summary_total);
      expect(statsTable(acc, true, nameWidth)).toEqual(py.summary_current);
      expect(percentilesTable(acc, nameWidth)).toEqual(py.percentiles);
      expect(errorReport(acc, nameWidth)).toEqual(py.errors);
    });
  });
}
