// examples/custom-messages under a real Locust master whose master.py comes from
// `loadworker locustfile --tasks examples/custom-messages` (master_extra.py appended): two workers
// each get their own slice of 10 accounts, and each user tells the master which one it uses.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type Target, demoTarget, exampleOnTwoWorkers, masterPyOf } from "../support/examples.ts";

// The shared fixture runs the masters and stops what the test started; the workers are the
// examples' own folders run from source (`npx loadworker --tasks …`), so no binary is built.
const e2e = useE2e({ tasks: false, server: false });
let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

describe("examples/custom-messages", () => {
  test("6 users on 2 workers use 6 different accounts, each from its worker's slice", async () => {
    const locustfile = masterPyOf("custom-messages");
    expect(locustfile).toContain("class AccountUser(User):");
    expect(locustfile).toContain('register_message("account_in_use"');
    const { result, workers } = await exampleOnTwoWorkers(e2e, "custom-messages", locustfile, {
      users: 6,
      runTime: "5s",
      host: target.url,
      extra: ["--accounts", "10"],
    });
    for (const w of workers) expect(w.output()).toContain("the master handed this worker 5 test accounts");
    // "worker <node id> uses account account-<i>": the master's handler, once per user.
    const uses = [...result.log.matchAll(/worker (\S+) uses account account-(\d+)/g)].map((m) => ({ node: m[1], i: Number(m[2]) }));
    expect(uses).toHaveLength(6);
    expect(new Set(uses.map((u) => u.i)).size).toBe(6);
    // Slices are every other account: one worker's are all even, the other's all odd.
    const parities = new Map<string, Set<number>>();
    for (const u of uses) parities.set(u.node as string, (parities.get(u.node as string) ?? new Set()).add(u.i % 2));
    expect([...parities.values()].map((p) => p.size)).toEqual([1, 1]);
    expect((await target.served())["/login"]).toBe(6);
    expect(result.rows.find((r) => r.name === "/login")?.requests).toBe(6);
    expect(result.rows.find((r) => r.name === "/api/items")?.requests).toBeGreaterThan(0);
    expect(result.aggregated.failures).toBe(0);
  }, 150_000);
});
