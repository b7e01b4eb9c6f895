// examples/tags-fixed-count under a real Locust master: fixed_count = 1 gives one Admin across two
// workers, whatever the user count, and --exclude-tags checkout keeps the checkout task from running.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type Target, demoTarget, example, exampleOnTwoWorkers, loadworkerRun, masterPyOf } from "../support/examples.ts";

// The shared fixture runs the masters and stops what the test started; the workers are the
// examples' own folders run from source (`npx loadworker --tasks …`), so no binary is built.
const e2e = useE2e({ tasks: false, server: false });
let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

describe("examples/tags-fixed-count", () => {
  test("7 users on 2 workers: one Admin, six Shoppers, browse runs and checkout does not", async () => {
    const locustfile = masterPyOf("tags-fixed-count");
    expect(locustfile).toContain("fixed_count = 1");
    const { result } = await exampleOnTwoWorkers(e2e, "tags-fixed-count", locustfile, {
      users: 7,
      runTime: "5s",
      host: target.url,
      extra: ["--exclude-tags", "checkout"],
    });
    expect(result.log).toMatch(/"Admin": 1/);
    expect(result.log).toMatch(/"Shopper": 6/);
    const served = await target.served();
    expect(served["/status/201"]).toBe(1); // one admin session: one Admin user
    expect(served["/login"]).toBe(6); // one login per Shopper
    expect(served["/api/items"]).toBeGreaterThan(0); // tagged browse
    expect(served["/status/202"]).toBeUndefined(); // tagged checkout, excluded
    expect(result.rows.find((r) => r.name === "checkout")).toBeUndefined();
    expect(result.rows.find((r) => r.name === "stock report")?.requests).toBeGreaterThan(0);
    expect(result.aggregated.failures).toBe(0);
  }, 150_000);

  test("run honours the fixed count too: 7 users are one Admin and six Shoppers", async () => {
    const own = await demoTarget(); // its own counts, apart from the master's test
    try {
      const args = ["run", "--tasks", example("tags-fixed-count"), "-u", "7", "-r", "7", "-t", "3s", "--host", own.url];
      const { code, output } = await loadworkerRun([...args, "-E", "checkout"]);
      expect({ code, output }).toMatchObject({ code: 0 });
      expect(output).toMatch(/Admin \(fixed 1\)/);
      expect(output).toMatch(/all 7 users started: \{"Admin":1,"Shopper":6\}/);
      const served = await own.served();
      expect(served["/status/201"]).toBe(1); // one admin session
      expect(served["/login"]).toBe(6); // one login per Shopper
      expect(served["/status/202"]).toBeUndefined();
    } finally {
      await own.close();
    }
  }, 60_000);
});
