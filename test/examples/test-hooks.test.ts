// examples/test-hooks: onTestStart logs in once before any user starts, every user's request
// carries that token, and onTestStop's cleanup call comes once, after the users.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Target, aggregated, demoTarget, example, loadworkerRun } from "../support/examples.ts";
import { expectServedCutOff, summaryCounts } from "../support/run-cli.ts";

let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

describe("examples/test-hooks", () => {
  test("one login and one cleanup for the whole run, and no user request without the token", async () => {
    const args = ["run", "--tasks", example("test-hooks"), "-u", "5", "-r", "5", "-t", "3s", "--host", target.url];
    const { code, output } = await loadworkerRun([...args, "--exit-code-on-error", "1"]);
    expect(code).toBe(0);
    const served = await target.served();
    expect(served["/login"]).toBe(1);
    expect(served["/status/204"]).toBe(1);
    expect(output).toContain("logged in once for every user");
    expect(output).toContain("cleanup answered 204");
    const items = summaryCounts(output).get("GET /api/items") ?? 0;
    expect(items).toBeGreaterThan(20);
    expectServedCutOff(served["/api/items"] ?? 0, items, 5); // a request in flight at the end is served, not recorded
    expect(aggregated(output).failures).toBe(0); // a user before the hook would have had a 401
  }, 120_000);
});
