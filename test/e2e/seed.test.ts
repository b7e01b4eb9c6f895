// The repo's own tasks/ (the seed's two tasks and the ShopUser example), compiled, against a
// real master whose master.py comes from `loadworker locustfile`, loading the demo target.
import { beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { type DemoTarget, startDemoTarget } from "../../src/demo/target.ts";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ tasks: "tasks", server: false }); // the demo target is this test's server
let target: DemoTarget;

beforeAll(async () => {
  target = await startDemoTarget({ port: 0, bind: "127.0.0.1" });
  e2e.onStop(() => target.close());
});

describe("the seed's tasks under a real master", () => {
  test("both seed task names show up with the server's counts and no failures, next to ShopUser", async () => {
    const host = `http://127.0.0.1:${target.port}`;
    const locustfile = execFileSync(e2e.bin, ["locustfile"], { encoding: "utf8" });
    expect(locustfile).toContain("class DefaultUser(User):");
    expect(locustfile).toContain("class ShopUser(User):");
    expect(locustfile).toContain("class AccountUser(User):");
    expect(locustfile).toContain("# ---- tasks/master_extra.py, appended verbatim");
    const run = await e2e.headlessMaster({ locustfile, users: 6, spawnRate: 6, runTime: "6s", host });
    const worker = e2e.worker(["--master-port", String(run.port)]);
    const result = await run.result();
    expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);

    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code).toBe(0); // Locust exits 1 on any failure
    expect(result.log).toMatch(/"DefaultUser": 2/);
    expect(result.log).toMatch(/"ShopUser": 2/);
    expect(result.log).toMatch(/"AccountUser": 2/);
    const mock = result.rows.find((r) => r.name === "压测MockApi");
    const bin2 = result.rows.find((r) => r.name === "压测HttpBin");
    expect(mock?.requests).toBeGreaterThan(50);
    expect(bin2?.requests).toBeGreaterThan(50);
    expect(mock!.avgContentSize).toBeGreaterThan(0);
    const stats = (await (await fetch(`${host}/__stats`)).json()) as { paths: Record<string, number> };
    const served = stats.paths["/"] ?? 0;
    const recorded = mock!.requests + bin2!.requests;
    // Requests in flight when the master quit were served but never recorded (2 users at most).
    expect(served - recorded).toBeGreaterThanOrEqual(0);
    expect(served - recorded).toBeLessThanOrEqual(2);
    expect(result.rows.find((r) => r.name === "/login")?.requests).toBe(2); // onStart, once per ShopUser
    // tasks/accounts.ts: each AccountUser logged in with an account the master handed out (master_extra.py).
    expect(result.rows.find((r) => r.name === "/login (account)")?.requests).toBe(2);
    expect(result.rows.find((r) => r.name === "/api/items (account)")?.requests).toBeGreaterThan(0);
    expect(result.rows.find((r) => r.name === "/api/items")?.requests).toBeGreaterThan(0);
    expect(result.aggregated.failures).toBe(0);
  }, 120_000);
});
