// The HTML report as headless Chromium renders it (scripts/test.sh --full installs Chromium).
import { beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderHtmlReport } from "../../../src/standalone/report/html-report.ts";
import { probeRendered } from "../../support/chromium.ts";
import { tempDir } from "../../support/procs.ts";
import { REPORT_PROBE, type RenderedReport } from "../../support/report-probe.ts";
import { syntheticReport } from "./synthetic-report.ts";

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

describe("the HTML report at a desktop's and a phone's width", () => {
  const long =
    "/api/v1/organizations/{organizationId}/projects/{projectId}/environments/{environmentId}/deployments?include=all&expand=true";
  const base = syntheticReport();
  const report = { ...base, stats: base.stats.map((e, i) => (i === 0 ? { ...e, name: long } : e)) };
  const file = join(tempDir("html"), "report.html");
  writeFileSync(file, renderHtmlReport(report));
  let desktop: RenderedReport;
  let phone: RenderedReport;
  beforeAll(() => {
    desktop = probeRendered<RenderedReport>(file, REPORT_PROBE, { width: 1400, height: 900 });
    phone = probeRendered<RenderedReport>(file, REPORT_PROBE, { width: 390, height: 844 });
  }, 180_000);

  test("a long request name wraps instead of widening the page past the window", () => {
    expect(desktop.tables.stats?.rows[0]?.[1]).toBe(long);
    expect(desktop.page.scrollWidth).toBeLessThanOrEqual(desktop.page.width);
    expect(phone.page.scrollWidth).toBeLessThanOrEqual(phone.page.width);
  });

  test("the charts' tick labels are drawn at 10 px or more on both (titles and legends are HTML text)", () => {
    expect(desktop.smallestChartText).toBeGreaterThanOrEqual(10);
    expect(phone.smallestChartText).toBeGreaterThanOrEqual(10);
  });

  test("the failures table says when each error was first and last seen, as Locust's report does", () => {
    expect(desktop.tables.failures?.head).toEqual(["Method", "Name", "Error", "Occurrences", "First seen", "Last seen"]);
  });
});
