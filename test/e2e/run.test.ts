// `loadworker run` end to end: the compiled binary (and src/main.ts under Bun) against a
// counting HTTP server on loopback, with every report checked: the summary against what the
// server counted, the CSVs against Locust's own, the JSON against its schema (the HTML in Chromium:
// run-html.full.test.ts).
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import schema from "../../src/standalone/report/report-schema.json" with { type: "json" };
import { useE2e } from "../support/e2e.ts";
import { tempDir } from "../support/procs.ts";
import { type RunResult, run, summaryCounts } from "../support/run-cli.ts";

const USERS = 4;
const e2e = useE2e({ tasks: "test/e2e/run-tasks" });

const PATHS: Record<string, string> = { "GET /items": "/items", "GET 压测Items": "/cjk", "GET /fail": "/fail/x", "GET /boom": "/boom" };

describe("loadworker run (compiled) with every report", () => {
  let result: RunResult;
  let dir: string;
  let before: Map<string, number>;
  beforeAll(async () => {
    dir = tempDir("run");
    before = new Map(e2e.server.counts);
    result = await run(e2e.binary, [
      "-u",
      String(USERS),
      "-r",
      "8",
      "-t",
      "4s",
      "--host",
      e2e.server.url,
      "--csv",
      join(dir, "run"),
      "--json",
      join(dir, "run.json"),
      "--html",
      join(dir, "out/run.html"),
    ]);
  }, 120_000);
  const served = (path: string) => (e2e.server.counts.get(path) ?? 0) - (before.get(path) ?? 0);

  test("exits 0 with failures but no thresholds (Locust's --exit-code-on-error is opt-in here)", () => {
    expect(result.stderr).not.toContain("unexpected error");
    expect(result.code).toBe(0);
  });

  test("prints a summary whose counts equal what the server counted, within the users in flight", () => {
    const counts = summaryCounts(result.stdout);
    for (const [name, path] of Object.entries(PATHS)) {
      const ours = counts.get(name) ?? -1;
      expect(ours).toBeGreaterThan(0);
      expect(Math.abs(ours - served(path))).toBeLessThanOrEqual(USERS);
    }
    const total = counts.get("Aggregated") ?? -1;
    const servedTotal = Object.values(PATHS).reduce((sum, p) => sum + served(p), 0);
    expect(Math.abs(total - servedTotal)).toBeLessThanOrEqual(USERS);
    expect(result.stdout).toContain("Response time percentiles (approximated)");
    expect(result.stdout).toContain("Error report");
    expect(result.stdout).toMatch(/\n\d+ +GET \/fail: HTTPError\('500 Server Error/);
    expect(result.stdout).toContain("Error('boom in a run') in explode");
  });

  test("logs its start in order: 'starting 4 users' first, then 'all 4 users started', then the end", () => {
    const lines = result.stderr.split("\n");
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    const order = [at(`starting ${USERS} users at 8/s for 4s`), at(`all ${USERS} users started`), at("ending the run (run-time)")];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test("off a TTY prints one plain line per interval and no cursor movement", () => {
    const plain = result.stdout
      .split("\n")
      .filter((l) => /^\[\ds\/4s\] (ramping up|running) \d\/4 users \| \d+ reqs, \d+ \(\d+\.\d+%\) fails \| \d+\.\d rps \| p50 /.test(l));
    expect(plain.length).toBeGreaterThanOrEqual(1);
    expect(result.stdout).not.toContain("\x1b[");
  });

  test("writes the four CSV files, with the same counts as the summary", () => {
    for (const suffix of ["_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"])
      expect(existsSync(join(dir, `run${suffix}`))).toBe(true);
    const rows = readFileSync(join(dir, "run_stats.csv"), "utf8")
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((r) => r.split(","));
    const counts = summaryCounts(result.stdout);
    for (const row of rows) {
      const key = row[1] === "Aggregated" ? "Aggregated" : `${row[0]} ${row[1]}`;
      expect([key, Number(row[2])]).toEqual([key, counts.get(key) ?? -1]);
    }
    expect(readFileSync(join(dir, "run_failures.csv"), "utf8")).toMatch(
      /^Method,Name,Error,Occurrences,First Seen,Last Seen\r\nGET,\/fail,HTTPError\('500 Server Error[^\r]*,\d+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,/,
    );
    expect(readFileSync(join(dir, "run_exceptions.csv"), "utf8")).toMatch(/\r\n\d+,Error\('boom in a run'\) in explode,"in explode\n/);
  });

  test("writes a JSON report that validates against its schema and matches the CSV", () => {
    const report = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunReport;
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(report.ended_by).toBe("run-time");
    expect(report.total.num_requests).toBe(summaryCounts(result.stdout).get("Aggregated") ?? -1);
    expect(report.history.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...report.history.map((p) => p.user_count))).toBe(USERS);
    expect([...report.config.user_classes].sort()).toEqual(["Breaker", "Shopper"]);
  });

  test("the JSON and HTML reports give Locust's final ratio: 3 Shoppers and 1 Breaker by weight, their tasks by weight", () => {
    const report = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunReport;
    expect(report.task_ratio.per_class).toEqual({
      Shopper: { ratio: 0.75, tasks: { "list items": { ratio: 0.75 }, cjk: { ratio: 0.25 } } },
      Breaker: { ratio: 0.25, tasks: { fail: { ratio: 2 / 3 }, explode: { ratio: 1 / 3 } } },
    });
    expect(report.task_ratio.total.Shopper?.tasks["list items"]?.ratio).toBe(0.5625);
    expect(report.task_ratio.total.Breaker?.tasks.explode?.ratio).toBeCloseTo(1 / 12, 12);
    const html = readFileSync(join(dir, "out/run.html"), "utf8");
    expect(html).toContain("<h2>Final ratio</h2>");
    expect(html).toMatch(/<td class="name">list items<\/td><td class="num">75\.0%<\/td><td class="num">56\.2%<\/td>/);
  });

  test("`run --report-schema` prints the schema this report validates against (the binary's users have no src/), with the report's $schema as its $id", async () => {
    const printed = await run(e2e.binary, ["--report-schema"]);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe("");
    const shown = JSON.parse(printed.stdout) as typeof schema;
    expect(shown).toEqual(schema);
    const report = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as RunReport;
    expect(report.$schema).toBe(shown.$id);
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(shown);
    expect(validate(report)).toBe(true);
    expect(validate({ ...report, ended_by: "nonsense" })).toBe(false); // it checks, not just parses
  });

  test("`run --help` sends the reader to --report-schema, not to a file the binary's users do not have", async () => {
    const help = await run(e2e.binary, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--report-schema");
    expect(help.stdout).not.toContain("src/standalone");
  });

  test("`run -l` lists the user classes as Locust's -l does, each with its tasks, and starts nothing", async () => {
    const before = e2e.server.counts.get("/items") ?? 0;
    const listed = await run(e2e.binary, ["-l", "--host", e2e.server.url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(
      "Available Users:\n    Breaker\n        fail\n        explode\n    Shopper\n        list items\n        cjk\n",
    );
    expect(e2e.server.counts.get("/items") ?? 0).toBe(before);
  });

  test("`run --show-task-ratio -u 4` prints Locust's two tables for 3 Shoppers and 1 Breaker, and the JSON flag the same numbers", async () => {
    const text = await run(e2e.binary, ["--show-task-ratio", "-u", "4"]);
    expect(text.code).toBe(0);
    const rows = text.stdout.split("\n").map((l) => l.trimEnd());
    expect(rows.slice(0, 9)).toEqual([
      "",
      " Task ratio per User class",
      "-".repeat(80),
      " 25.0       Breaker",
      "   66.7       fail",
      "   33.3       explode",
      " 75.0       Shopper",
      "   75.0       list items",
      "   25.0       cjk",
    ]);
    expect(rows).toContain("   56.2       list items"); // 75% of 75%, printed as Python's %.1f rounds 56.25
    const json = await run(e2e.binary, ["--show-task-ratio-json", "-u", "4"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).total.Shopper.tasks["list items"].ratio).toBe(0.5625);
  });

  test("`run --show-task-ratio -u 0x` is a usage error naming -u, before anything is printed", async () => {
    const bad = await run(e2e.binary, ["--show-task-ratio", "-u", "0x"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("-u/--users");
  });

  test("`--csv-full-history` writes a history row per request name each second before the Aggregated row, as Locust's flag", async () => {
    const full = tempDir("run-full-history");
    const result = await run(e2e.binary, [
      "Shopper",
      "-u",
      "2",
      "-r",
      "2",
      "-t",
      "3s",
      "--host",
      e2e.server.url,
      "--csv",
      join(full, "run"),
      "--csv-full-history",
    ]);
    expect(result.code).toBe(0);
    const rows = readFileSync(join(full, "run_stats_history.csv"), "utf8")
      .trimEnd()
      .split("\r\n")
      .slice(1)
      .map((r) => r.split(","));
    const seconds = [...new Set(rows.map((r) => r[0]))];
    expect(seconds.length).toBeGreaterThanOrEqual(2);
    const last = rows.filter((r) => r[0] === seconds.at(-1)).map((r) => `${r[2]} ${r[3]}`);
    expect(last).toEqual(["GET /items", "GET 压测Items", " Aggregated"]);
  }, 30_000);

  test("`--only-summary` prints no interval lines, only the summary, as Locust's flag", async () => {
    const result = await run(e2e.binary, ["Shopper", "-u", "1", "-t", "3s", "--host", e2e.server.url, "--only-summary"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^\[\ds\/3s\]/m);
    expect(summaryCounts(result.stdout).get("GET /items")).toBeGreaterThan(0);
  }, 30_000);

  test("`--equal-weights` runs a class's tasks equally often, whatever their weights (3:1 here)", async () => {
    const shown = await run(e2e.binary, ["Shopper", "--equal-weights", "--show-task-ratio"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split("\n").map((l) => l.trimEnd())).toEqual(
      expect.arrayContaining(["   50.0       list items", "   50.0       cjk"]),
    );
    const result = await run(e2e.binary, [
      "Shopper",
      "-u",
      "4",
      "-r",
      "4",
      "-t",
      "3s",
      "--host",
      e2e.server.url,
      "--equal-weights",
      "--only-summary",
    ]);
    const counts = summaryCounts(result.stdout);
    const items = counts.get("GET /items") ?? 0;
    const cjk = counts.get("GET 压测Items") ?? 0;
    expect(items + cjk).toBeGreaterThan(100);
    expect(Math.abs(items - cjk) / (items + cjk)).toBeLessThan(0.3); // 3:1 would be 0.5 apart; 1:1 is 4.5 standard deviations below 0.3
  }, 30_000);

  test("`--equal-weights` gives every class the same weight too, as Locust's does: 4 users of Shopper (3) and Breaker (1) are 2 and 2", async () => {
    const shown = await run(e2e.binary, ["-u", "4", "--equal-weights", "--show-task-ratio-json"]);
    expect(shown.code).toBe(0);
    const ratio = JSON.parse(shown.stdout) as { per_class: Record<string, { ratio: number }> };
    expect(ratio.per_class.Shopper?.ratio).toBe(0.5);
    expect(ratio.per_class.Breaker?.ratio).toBe(0.5);
    const json = join(tempDir("run-equal"), "r.json");
    const result = await run(e2e.binary, [
      "-u",
      "4",
      "-r",
      "4",
      "-t",
      "1s",
      "--host",
      e2e.server.url,
      "--equal-weights",
      "--only-summary",
      "--json",
      json,
    ]);
    expect(result.code).toBe(0);
    const started = JSON.parse(result.stderr.match(/all 4 users started: (\{[^}]*\})/)?.[1] ?? "{}") as Record<string, number>;
    expect(started).toEqual({ Shopper: 2, Breaker: 2 });
    const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
    expect(report.task_ratio.per_class.Shopper?.ratio).toBe(0.5);
  }, 30_000);

  test("`--reset-stats` starts the stats over once every user started: the ramp-up's requests are left out of every report", async () => {
    const json = join(tempDir("run-reset"), "r.json");
    const before = e2e.server.counts.get("/items") ?? 0;
    // 4 users at 1/s: 3 s of ramp-up (6 user-seconds of requests at ~15/s each), then 2 s of all four.
    const result = await run(e2e.binary, [
      "Shopper",
      "-u",
      "4",
      "-r",
      "1",
      "-t",
      "5s",
      "--host",
      e2e.server.url,
      "--reset-stats",
      "--json",
      json,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("every user started: the stats start over (--reset-stats)");
    const served = (e2e.server.counts.get("/items") ?? 0) - before;
    const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
    const recorded = report.stats.find((e) => e.name === "/items")?.num_requests ?? 0;
    expect(recorded).toBeGreaterThan(0);
    expect(served - recorded).toBeGreaterThan(30); // without the reset, at most the 4 in flight
    expect(summaryCounts(result.stdout).get("GET /items")).toBe(recorded);
    // The charts start after the ramp-up: their first second has all four users, 3 s in.
    expect(report.history[0]?.user_count).toBe(4);
    expect((report.history[0]?.time ?? 0) - report.started_at).toBeGreaterThanOrEqual(2.5);
  }, 30_000);

  test("`--reset-stats` with the open model is a usage error that says why", async () => {
    const bad = await run(e2e.binary, ["--arrival-rate", "5", "-t", "2s", "--host", e2e.server.url, "--reset-stats"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--reset-stats starts the stats over once -u users have started; the open model");
  });
});
