// End to end: a real Locust master (headless, from .venv) and the compiled loadworker binary.
import { describe, expect, test } from "bun:test";
import { buildPlan } from "../../src/api/plan.ts";
import { renderLocustfile } from "../../src/master/locustfile.ts";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { within } from "../support/wait.ts";
import { hitter } from "./tasks/e2e.ts";

const e2e = useE2e();

const masterPy = (classes: Array<[string, number]>) =>
  [
    "from locust import User, task",
    ...classes.map(([name, weight]) => `class ${name}(User):\n    weight = ${weight}\n    @task\n    def t(self):\n        pass\n`),
  ].join("\n\n");

describe("loadworker against a real Locust master", () => {
  test("the master's stats match what the target server counted, and the run is clean", async () => {
    e2e.server.counts.clear();
    const run = await e2e.headlessMaster({
      locustfile: masterPy([["Hitter", 1]]),
      users: 5,
      spawnRate: 5,
      runTime: "6s",
      host: e2e.server.url,
    });
    const worker = e2e.worker(["--master-port", String(run.port), "--loglevel", "debug"]);
    const result = await run.result();
    const workerCode = await within(worker.exited, 10_000, "the worker to exit after the master's quit");

    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code).toBe(0);
    expect(workerCode).toBe(0);
    const hit = result.rows.find((r) => r.name === "/hit");
    const measured = result.rows.find((r) => r.name === "self-measured");
    expect(hit?.type).toBe("GET");
    expect(hit!.requests).toBeGreaterThan(100);
    expect(hit!.failures).toBe(0);
    // Requests in flight when the master quit reach the server but are never recorded.
    const served = e2e.server.counts.get("/hit") ?? 0;
    expect(served - hit!.requests).toBeGreaterThanOrEqual(0);
    expect(served - hit!.requests).toBeLessThanOrEqual(5);
    expect(hit!.avgContentSize).toBe("hello from /hit\n".length);
    expect(measured).toMatchObject({ type: "custom", failures: 0, min: 1.5, max: 1.5 });
    // The Aggregated row comes from stats_total: it must cover every request.
    expect(result.aggregated.requests).toBe(result.rows.reduce((sum, r) => sum + r.requests, 0));
    expect(result.aggregated.failures).toBe(0);
    expect(worker.output()).toContain("registered with the master");
  }, 120_000);

  test("a task that throws reaches the Exceptions output, the worker keeps going, and the class split is the master's", async () => {
    e2e.server.counts.clear();
    const run = await e2e.headlessMaster({
      locustfile: masterPy([
        ["Hitter", 3],
        ["Thrower", 1],
      ]),
      users: 8,
      spawnRate: 8,
      runTime: "6s",
      host: e2e.server.url,
      extra: ["--exit-code-on-error", "0"],
    });
    const worker = e2e.worker(["--master-port", String(run.port)]);
    const result = await run.result();
    expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);

    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.exceptionsCsv).toContain("boom from a task");
    expect(result.log).toMatch(/"Hitter": 6/);
    expect(result.log).toMatch(/"Thrower": 2/);
    // Two Thrower users, a throw every ~0.1 s for 6 s: far more than one run of the task.
    expect(e2e.server.counts.get("/throw") ?? 0).toBeGreaterThan(20);
    expect(result.rows.find((r) => r.name === "/throw")?.requests).toBeGreaterThan(20);
  }, 120_000);

  test("a master.py made with locustfile --host gives the worker that host, also headless without --host (Locust's workers read the class's)", async () => {
    e2e.server.counts.clear();
    const run = await e2e.headlessMaster({
      locustfile: renderLocustfile(buildPlan([hitter]), { tasksFrom: "test/e2e/tasks/", host: e2e.server.url }),
      users: 2,
      spawnRate: 2,
      runTime: "4s",
    });
    const worker = e2e.worker(["--master-port", String(run.port)]);
    const result = await run.result();
    expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);

    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.exceptionsCsv).not.toContain("no host");
    expect(result.rows.find((r) => r.name === "/hit")?.requests).toBeGreaterThan(20);
    expect(e2e.server.counts.get("/hit") ?? 0).toBeGreaterThan(20);
  }, 120_000);
});
