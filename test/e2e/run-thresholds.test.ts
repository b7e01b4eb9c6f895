// Thresholds and endings of `loadworker run`, from source under Bun and compiled: exit 0 when
// every threshold holds, 99 on a breach (a name with no data included), --abort-on-fail, Ctrl-C.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { useE2e } from "../support/e2e.ts";
import { tempDir } from "../support/procs.ts";
import { type Runner, run, startRun } from "../support/run-cli.ts";
import { waitFor } from "../support/wait.ts";

const SOURCE: Runner = { kind: "source" };
const e2e = useE2e({ tasks: "test/e2e/run-tasks" });

const base = () => ["-u", "2", "-r", "4", "-t", "3s", "--host", e2e.server.url];
const report = (file: string) => JSON.parse(readFileSync(file, "utf8")) as RunReport;

describe("thresholds (src/main.ts under Bun)", () => {
  test("exit 0 when every threshold holds, each listed as passed with its measured value", async () => {
    const result = await run(SOURCE, [
      ...base(),
      "--threshold",
      "GET /items:requests>0",
      "--threshold=p99<5000",
      "--threshold",
      "压测Items:failures==0",
      "Shopper",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/passed {2}GET \/items:requests>0 +GET \/items: measured \d+/);
    expect(result.stdout).toMatch(/passed {2}p99<5000 +Aggregated: measured \d+/);
    expect(result.stdout).toMatch(/passed {2}压测Items:failures==0 +压测Items: measured 0/);
    expect(result.stdout).not.toContain("/fail"); // only the Shopper class ran
  }, 60_000);

  test("exit 99 on a breach, and a name that recorded nothing counts as failed", async () => {
    const json = join(tempDir("thresholds"), "r.json");
    const result = await run(SOURCE, [
      ...base(),
      "--threshold",
      "failures==0",
      "--threshold",
      "/nowhere:p95<1",
      "--threshold",
      "fail_ratio<1",
      "--json",
      json,
    ]);
    expect(result.code).toBe(99);
    expect(result.stdout).toMatch(/FAILED {2}failures==0 +Aggregated: measured [1-9]\d*/);
    expect(result.stdout).toMatch(/FAILED {2}\/nowhere:p95<1 +\/nowhere: nothing was recorded under this name \(counts as failed\)/);
    expect(result.stdout).toMatch(/passed {2}fail_ratio<1 /);
    expect(result.stdout).toContain("Exit code 99 (a threshold failed)");
    expect(report(json).thresholds.map((t) => t.status)).toEqual(["failed", "no-data", "passed"]);
  }, 60_000);

  test("--exit-code-on-error N: failures without thresholds exit N, as Locust's flag", async () => {
    const result = await run(SOURCE, [...base(), "--exit-code-on-error", "3"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("Exit code 3 (there were failures or exceptions: --exit-code-on-error)");
  }, 60_000);
});

describe("under Deno (src/main.ts, unchanged)", () => {
  test("runs, checks thresholds and writes a JSON report", async () => {
    const json = join(tempDir("deno"), "r.json");
    const result = await run({ kind: "deno" }, [...base(), "--threshold", "GET /items:failures==0", "--json", json, "Shopper"]);
    expect(result.stderr).not.toContain("error:");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/passed {2}GET \/items:failures==0/);
    expect(report(json).total.num_requests).toBeGreaterThan(0);
  }, 90_000);
});

describe("ending a run early (compiled)", () => {
  test("--abort-on-fail stops the run at the first breach, long before --run-time", async () => {
    const json = join(tempDir("abort"), "r.json");
    const result = await run(e2e.binary, [
      "-u",
      "2",
      "-r",
      "4",
      "-t",
      "10m",
      "--host",
      e2e.server.url,
      "--threshold",
      "failures==0",
      "--abort-on-fail",
      "--json",
      json,
    ]);
    expect(result.code).toBe(99);
    expect(result.stderr).toContain("threshold failed: failures==0");
    const r = report(json);
    expect(r.ended_by).toBe("threshold-abort");
  }, 60_000);

  test("Ctrl-C (SIGINT) ends the run, prints the summary and writes the reports", async () => {
    const dir = tempDir("sigint");
    const started = startRun(e2e.binary, [
      "-u",
      "2",
      "-r",
      "4",
      "-t",
      "10m",
      "--host",
      e2e.server.url,
      "--json",
      join(dir, "r.json"),
      "--csv",
      join(dir, "r"),
      "Shopper",
    ]);
    await waitFor(() => /^\[\d+s\/10m00s\] running/m.test(started.stdout()), 30_000, "a plain line from the running test");
    // Like Locust, the whole-run CSV is rewritten while the test runs (every 5 s), not only at the end.
    await waitFor(
      () => existsSync(join(dir, "r_stats.csv")) && readFileSync(join(dir, "r_stats.csv"), "utf8").includes(",Aggregated,"),
      30_000,
      "r_stats.csv mid-run",
    );
    started.signal("SIGINT");
    const result = await started.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Run ended after");
    expect(result.stdout).toContain("interrupted (Ctrl-C or SIGTERM)");
    const r = report(join(dir, "r.json"));
    expect(r.ended_by).toBe("interrupted");
    expect(r.total.num_requests).toBeGreaterThan(0);
    expect(readFileSync(join(dir, "r_stats.csv"), "utf8")).toContain(`,Aggregated,${r.total.num_requests},`);
  }, 60_000);
});
