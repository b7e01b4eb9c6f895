// The JSON report against its schema (with ajv); the HTML report in Chromium: reports-html.full.test.ts.
import { describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import schema from "../../../src/standalone/report/report-schema.json" with { type: "json" };
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
