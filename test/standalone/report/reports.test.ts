// The JSON report against its schema (with ajv), and what the HTML report draws; the HTML report
// in Chromium: reports-html.full.test.ts.
import { describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import schema from "../../../src/standalone/report/report-schema.json" with { type: "json" };
import { renderHtmlReport } from "../../../src/standalone/report/html-report.ts";
import { syntheticReport } from "./synthetic-report.ts";

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

describe("the HTML report's final ratio", () => {
  test("shows each class's share of the users and each task's share of its class and of all task runs", () => {
    const html = renderHtmlReport(syntheticReport());
    const table = /<table id="ratio">.*?<\/table>/.exec(html)?.[0] ?? "";
    expect(table).toContain('<tr class="total"><td class="name">Shopper</td><td></td><td class="num">100.0%</td>');
    expect(table).toContain('<td class="name">browse</td><td class="num">75.0%</td><td class="num">75.0%</td>');
    expect(table).toContain('<td class="name">checkout</td><td class="num">25.0%</td><td class="num">25.0%</td>');
  });

  test("is left out when the run had no classes to weigh", () => {
    const none = { per_class: {}, total: {} };
    expect(renderHtmlReport({ ...syntheticReport(), task_ratio: none })).not.toContain("Final ratio");
  });
});

describe("the HTML report's charts", () => {
  test("the response-time chart draws a gap, not 0 ms, where no request finished in the last 10 s (Locust's current percentiles are 0 there)", () => {
    const base = syntheticReport();
    const last = base.history.at(-1);
    if (last === undefined) throw new Error("the synthetic run has no history");
    // A stall: 15 s without a response. The first 9 s still have responses in their window.
    const stall = Array.from({ length: 15 }, (_, i) => {
      const inWindow = i + 1 < 10;
      const value = inWindow ? last.response_time_percentile_95 : 0;
      return {
        ...last,
        time: last.time + i + 1,
        response_time_percentile_50: value,
        response_time_percentile_95: value,
        response_time_percentile_99: value,
      };
    });
    const html = renderHtmlReport({ ...base, history: [...base.history, ...stall] });
    for (const key of ["p50", "p95", "p99"]) {
      const series = new RegExp(`<g class="series" data-series="${key}"[^>]*>(.*?)</g>`).exec(html)?.[1] ?? "";
      expect(series).toContain("<title>");
      expect(series).not.toMatch(/: 0 ms<\/title>/);
    }
  });

  test("a run shorter than Locust's 12 s rps window says why its charts read low, and a longer one does not", () => {
    const base = syntheticReport();
    const short = renderHtmlReport({ ...base, duration_seconds: 1, history: base.history.slice(0, 1) });
    expect(short).toMatch(/id="charts-note">A short run: .*the tables below cover all \d+ requests/);
    expect(renderHtmlReport(base)).not.toContain("charts-note");
  });
});
