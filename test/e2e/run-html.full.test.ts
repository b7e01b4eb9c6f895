// `loadworker run`'s HTML report as headless Chromium renders it (scripts/test.sh --full installs
// Chromium): the charts and tables of a run of the compiled binary against a counting server.
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { probeRendered } from "../support/chromium.ts";
import { useE2e } from "../support/e2e.ts";
import { tempDir } from "../support/procs.ts";
import { REPORT_PROBE, type RenderedReport } from "../support/report-probe.ts";
import { run } from "../support/run-cli.ts";

const e2e = useE2e({ tasks: "test/e2e/run-tasks" });

describe("loadworker run (compiled) with every report", () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir("run-html");
    const result = await run(e2e.binary, [
      "-u",
      "4",
      "-r",
      "8",
      "-t",
      "4s",
      "--host",
      e2e.server.url,
      "--json",
      join(dir, "run.json"),
      "--html",
      join(dir, "out/run.html"),
    ]);
    expect(result.code).toBe(0);
  }, 120_000);

  test("writes an HTML report that Chromium renders with charts and the summary tables", () => {
    const report = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunReport;
    const rendered = probeRendered<RenderedReport>(join(dir, "out/run.html"), REPORT_PROBE);
    expect(rendered.resources).toBe(0);
    expect(rendered.charts.map((c) => c.id)).toEqual(["chart-rps", "chart-failures", "chart-response-times", "chart-users"]);
    const users = rendered.charts.find((c) => c.id === "chart-users")?.series[0];
    expect(users?.points).toBe(report.history.length);
    expect(users?.drawnWidth).toBeGreaterThan(100);
    const names = rendered.tables.stats?.rows.map((r) => `${r[0]} ${r[1]}`);
    expect(names).toEqual([...report.stats.map((e) => `${e.method} ${e.name}`), " Aggregated"]);
    expect(names).toContain("GET 压测Items");
    expect(rendered.tables.failures?.rows[0]?.slice(0, 2)).toEqual(["GET", "/fail"]);
    expect(rendered.tables.exceptions?.rows[0]?.[1]).toBe("Error('boom in a run') in explode");
  }, 90_000); // Chromium starts slowly on a busy machine
});
