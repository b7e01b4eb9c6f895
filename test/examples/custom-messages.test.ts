// examples/custom-messages under a real Locust master whose master.py comes from
// `loadworker locustfile --tasks examples/custom-messages` (master_extra.py appended): two workers
// each get their own slice of 10 accounts, and each user tells the master which one it uses.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type Target, demoTarget, example, exampleOnTwoWorkers, loadworker, masterPyOf } from "../support/examples.ts";
import { waitFor, within } from "../support/wait.ts";

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

  test("a worker stopped with SIGTERM mid-test (docker stop) still tells the master the accounts its users release in onStop, as Locust's worker does after its quit", async () => {
    const run = await e2e.headlessMaster({
      locustfile: masterPyOf("custom-messages"),
      users: 4,
      spawnRate: 4,
      runTime: "60s",
      host: target.url,
      workers: 2,
      extra: ["--accounts", "10"],
    });
    const args = ["--tasks", example("custom-messages"), "--master-host", "127.0.0.1", "--master-port", String(run.port)];
    const [leaving, staying] = [loadworker(args), loadworker(args)] as const;
    e2e.onStop(() => leaving.kill("SIGKILL"));
    e2e.onStop(() => staying.kill("SIGKILL"));
    const uses = () => [...run.master.output().matchAll(/worker (\S+) uses account (account-\d+)/g)];
    await waitFor(() => (uses().length === 4 ? true : undefined), 30_000, "the 4 users' accounts in use");
    leaving.kill("SIGTERM");
    expect(await within(leaving.exited, 20_000, "the worker to exit")).toBe(0);
    // The master names the worker that left: its two accounts come back, released by their users' onStop.
    const node = /connecting to the Locust master at \S+ as (\S+)/.exec(leaving.output())?.[1];
    const held = uses()
      .filter((m) => m[1] === node)
      .map((m) => m[2])
      .sort();
    expect(held).toHaveLength(2);
    const released = () =>
      [...run.master.output().matchAll(/worker (\S+) released account (account-\d+)/g)].filter((m) => m[1] === node).map((m) => m[2]);
    await waitFor(() => (released().length === 2 ? true : undefined), 10_000, "both releases at the master");
    expect(released().sort()).toEqual(held);
    expect(leaving.output()).not.toContain("not connected to a master that knows this worker");
  }, 90_000);
});
