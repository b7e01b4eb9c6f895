// `run --arrival-rate` in the quick loop, from the sources under Bun: the rate split over
// --processes 2 and the counts merged (the server counts exactly the schedule), the JSON report
// valid against its schema; and with too few users for a slow server, dropped iterations on
// /metrics, in the live line and under a threshold (exit 99).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import schema from "../../src/standalone/report/report-schema.json" with { type: "json" };
import { ROOT, freePort, tempDir } from "../support/procs.ts";
import { run, startRun } from "../support/run-cli.ts";
import { type StallServer, stallServer } from "../support/stall-server.ts";
import { waitFor } from "../support/wait.ts";

const TASKS = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/open-tasks") };
const source = { kind: "source" } as const;
let quick: StallServer;
let slow: StallServer;
beforeAll(async () => {
  quick = await stallServer({ stallMs: 0, periodMs: 1_000 });
  slow = await stallServer({ stallMs: 300, periodMs: 300, firstStallAfterMs: 0 }); // every answer 300 ms late
});
afterAll(async () => {
  await quick.close();
  await slow.close();
});

describe("run --arrival-rate 50 --processes 2", () => {
  test("starts the schedule's iterations across both processes, and reports them merged", async () => {
    const file = join(tempDir("open-run"), "r.json");
    const result = await run(
      source,
      ["--arrival-rate", "3000/m", "--processes", "2", "-t", "3s", "--json", file, "--host", quick.url],
      TASKS,
    );
    expect(result.code).toBe(0);
    const report: RunReport = JSON.parse(readFileSync(file, "utf8"));
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    expect(ajv.validate(schema, report) ? [] : ajv.errors).toEqual([]);
    expect(report.config.processes).toBe(2);
    // A request in flight at the stop is killed unrecorded, as in Locust: one per process at most.
    expect(quick.arrivals.length - report.total.num_requests).toBeWithin(0, 3);
    // 50/s once both children run: the second before the last quarter second counts 25 of each
    // process. Not the whole run against its time: that counts from the parent's start, and each
    // child starts its schedule once loaded (from source on a loaded CI core, up to a second or so).
    const last = quick.arrivals.at(-1) as number;
    const lastSecond = quick.arrivals.filter((at) => at >= last - 1_250 && at < last - 250);
    expect(lastSecond.length).toBeWithin(47, 54);
    expect(quick.arrivals.length).toBeGreaterThan(75);
    expect(report.dropped_iterations).toBe(0);
    expect(result.stdout).toContain("Open model (50/s, up to 50 users)");
  }, 60_000);
});

describe("run --arrival-rate with users whose onStart takes 300 ms", () => {
  test("times the iterations that waited for it from their scheduled start", async () => {
    const file = join(tempDir("open-late"), "r.json");
    const tasks = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/open-master-tasks") };
    const result = await run(source, ["--arrival-rate", "20", "--max-users", "2", "-t", "2s", "--json", file, "--host", quick.url], tasks);
    expect(result.code).toBe(0);
    const report: RunReport = JSON.parse(readFileSync(file, "utf8"));
    // The server answers at once: only the wait for onStart makes a response time of 200 ms or more.
    expect(report.late_iterations).toBeGreaterThanOrEqual(1);
    expect(report.total.max_response_time).toBeGreaterThanOrEqual(200);
    expect(report.total.median_response_time).toBeLessThan(100);
  }, 60_000);
});

describe("run --arrival-rate with too few users for a slow server", () => {
  test("drops iterations and says so on /metrics, in the live line and under dropped_iterations<1", async () => {
    const port = await freePort();
    const args = ["--arrival-rate", "50", "--max-users", "2", "-t", "4s", "--host", slow.url, "--threshold", "dropped_iterations<1"];
    const running = startRun(source, [...args, "--metrics-port", String(port), "--metrics-host", "127.0.0.1"], TASKS);
    const dropped = await waitFor(
      async () => {
        const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
          (r) => r.text(),
          () => "",
        );
        const value = Number(/^loadworker_dropped_iterations_total (\d+)$/m.exec(text)?.[1] ?? 0);
        return value > 0 ? value : undefined;
      },
      15_000,
      "dropped iterations on /metrics",
      250,
    );
    expect(dropped).toBeGreaterThan(0);
    const result = await running.result;
    expect(result.code).toBe(99);
    // 2 users at 300 ms each start about 6.7 of the 50 due every second.
    const measured = Number(/FAILED {2}dropped_iterations<1 {2}the run's iterations: measured (\d+)/.exec(result.stdout)?.[1]);
    expect(measured).toBeGreaterThan(100);
    expect(measured + slow.arrivals.length).toBeGreaterThanOrEqual(190);
    expect(result.stdout).toMatch(/\| dropped \d+, late \d+ iterations/);
  }, 60_000);
});
