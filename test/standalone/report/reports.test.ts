// The JSON report against its schema (with ajv) and the HTML report as headless Chromium renders it.
import { beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { createStats } from "../../../src/stats/index.ts";
import { Accumulator } from "../../../src/standalone/merge/accumulator.ts";
import { type HistoryPoint, historyPoint } from "../../../src/standalone/merge/history.ts";
import { renderHtmlReport } from "../../../src/standalone/report/html-report.ts";
import { type RunReport, runReport } from "../../../src/standalone/report/json-report.ts";
import schema from "../../../src/standalone/report/report-schema.json" with { type: "json" };
import { checkThresholds } from "../../../src/standalone/merge/threshold-check.ts";
import { parseThreshold } from "../../../src/standalone/options/threshold.ts";
import { probeRendered } from "../../support/chromium.ts";
import { tempDir } from "../../support/procs.ts";
import { REPORT_PROBE, type RenderedReport } from "../../support/report-probe.ts";
import { FakeClock } from "../../support/fake-clock.ts";
import { recordRun } from "../recorded-run.ts";

function syntheticReport(): RunReport {
  const clock = new FakeClock(1_795_592_059.25);
  const stats = createStats(clock);
  const startedAt = clock.epoch();
  const acc = new Accumulator(startedAt);
  const history: HistoryPoint[] = [];
  let users = 0;
  recordRun(stats.recorder, clock, () => {
    users = Math.min(users + 2, 10);
    acc.merge(stats.report({ Shopper: users }, users), clock.epoch());
    history.push(historyPoint(acc, clock.epoch(), users));
  });
  acc.addException("TypeError('x') in task browse", "in task browse\nTypeError: x\n    at browse (tasks/shop.ts:3:9)");
  const thresholds = ["p95<20000", "fail_ratio<0.01", "/missing:p99<5"].map((t) => {
    const parsed = parseThreshold(t);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.threshold;
  });
  return runReport(
    acc,
    {
      startedAt,
      endedAt: clock.epoch(),
      endedBy: "run-time",
      users: 10,
      spawnRate: 2,
      runTimeSeconds: 40,
      host: "http://127.0.0.1:1",
      userClasses: ["Shopper"],
      processes: 1,
    },
    history,
    checkThresholds(acc, thresholds),
  );
}

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe("the JSON report", () => {
  const report = syntheticReport();

  test("validates against report-schema.json", () => {
    const ok = validate(JSON.parse(JSON.stringify(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test("has one history point per interval, with the totals growing to the final count", () => {
    expect(report.history.length).toBe(40);
    expect(report.history.at(-1)?.num_requests).toBe(report.total.num_requests);
    expect(report.history.map((p) => p.user_count).at(-1)).toBe(10);
  });

  test("lists thresholds with their status and measured value", () => {
    expect(report.thresholds.map((t) => [t.expression, t.status])).toEqual([
      ["p95<20000", "passed"],
      ["fail_ratio<0.01", "failed"],
      ["/missing:p99<5", "no-data"],
    ]);
  });

  test("is rejected by the schema when a field is wrong (the check can fail)", () => {
    const broken = JSON.parse(JSON.stringify(report));
    broken.total.num_requests = -1;
    delete broken.history[0].current_rps;
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the HTML report in headless Chromium", () => {
  const report = syntheticReport();
  let rendered: RenderedReport;
  let html: string;
  beforeAll(() => {
    html = renderHtmlReport(report);
    const file = join(tempDir("html"), "report.html");
    writeFileSync(file, html);
    rendered = probeRendered<RenderedReport>(file, REPORT_PROBE);
  }, 90_000); // Chromium starts slowly on a busy machine

  test("loads nothing from anywhere and runs no script of its own", () => {
    expect(rendered.resources).toBe(0);
    expect(rendered.scripts).toBe(0);
    // Nothing that could fetch: no script, link, image, src/href attribute, CSS url() or @import.
    expect(/<(script|link|img|iframe)\b|\b(src|href)\s*=|url\(|@import/.test(html)).toBe(false);
  });

  test("draws the rps, failures, response-time and users charts with one point per interval", () => {
    expect(rendered.charts.map((c) => c.id)).toEqual(["chart-rps", "chart-failures", "chart-response-times", "chart-users"]);
    for (const chart of rendered.charts) {
      expect(chart.width).toBeGreaterThan(300);
      for (const s of chart.series) {
        expect(s.polylines).toBeGreaterThan(0);
        expect(s.drawnWidth).toBeGreaterThan(100); // the line spans the time axis
      }
    }
    const users = rendered.charts[3]?.series[0];
    expect(users).toMatchObject({ key: "user_count", points: 40 });
    const percentiles = rendered.charts[2]?.series.map((s) => s.key);
    expect(percentiles).toEqual(["p50", "p95", "p99"]);
  });

  test("shows every name and the Aggregated row in the statistics tables", () => {
    const stats = rendered.tables.stats;
    expect(stats?.visible).toBe(true);
    expect(stats?.rows.map((r) => `${r[0]} ${r[1]}`)).toEqual([...report.stats.map((e) => `${e.method} ${e.name}`), " Aggregated"]);
    expect(stats?.rows.at(-1)?.[2]).toBe(String(report.total.num_requests));
    expect(rendered.tables.percentiles?.rows.length).toBe(report.stats.length + 1);
  });

  test("shows failures, exceptions and thresholds", () => {
    expect(rendered.tables.failures?.rows.length).toBe(report.errors.length);
    expect(rendered.tables.exceptions?.rows[0]?.[1]).toBe("TypeError('x') in task browse");
    expect(rendered.tables.thresholds?.rows.map((r) => r[3])).toEqual(["passed", "FAILED", "FAILED (nothing recorded)"]);
  });
});
