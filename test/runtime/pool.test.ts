import { afterEach, describe, expect, test } from "bun:test";
import { systemClock } from "../../src/clock.ts";
import type { HttpClient } from "../../src/http/index.ts";
import { constant, defineTask, defineUser, recordFailure, recordSuccess } from "../../src/index.ts";
import type { AnyDefinition, UserContext } from "../../src/runtime/definitions.ts";
import { buildPlan, collectDefinitions } from "../../src/runtime/plan.ts";
import { UserPool } from "../../src/runtime/pool.ts";
import { waitFor, within } from "../support/procs.ts";
import { recordingLogger, recordingRecorder, seeded } from "./support.ts";

interface FakeClient {
  host: string | undefined;
  signal: AbortSignal;
  closed: boolean;
  close(): void;
}

const pools: UserPool[] = [];
afterEach(async () => {
  // Whatever a test leaves running is stopped, so no user loop outlives its test.
  await Promise.all(pools.splice(0).map((p) => p.stopAll(0)));
});

function harness(...definitions: AnyDefinition[]) {
  const recorder = recordingRecorder();
  const log = recordingLogger();
  const exceptions: Array<{ error: unknown; where: string }> = [];
  const clients: FakeClient[] = [];
  const pool = new UserPool({
    plan: buildPlan(collectDefinitions(definitions)),
    clock: systemClock,
    recorder,
    log,
    onException: (error, where) => void exceptions.push({ error, where }),
    makeClient: (host, signal) => {
      const client: FakeClient = { host, signal, closed: false, close: () => void (client.closed = true) };
      clients.push(client);
      return client as unknown as HttpClient;
    },
    random: seeded(3),
  });
  pools.push(pool);
  return { pool, recorder, log, exceptions, clients };
}

const until = <T>(probe: () => T | undefined, what: string) => waitFor(probe, 3_000, what, 2);

/** A user class that counts its lifecycle: task runs per user, onStart and onStop calls by user id. */
function countingUser(name: string, waitSeconds = 0.005) {
  const seen = { starts: [] as number[], stops: [] as number[], runs: 0, classes: new Set<string>() };
  const user = defineUser({
    name,
    waitTime: constant(waitSeconds),
    onStart: (ctx) => void seen.starts.push(ctx.userId),
    onStop: (ctx) => void seen.stops.push(ctx.userId),
    tasks: [{ name: `${name}.work`, fn: (ctx) => (seen.runs++, seen.classes.add(ctx.userClass)) }],
  });
  return { user, seen };
}

describe("UserPool targets", () => {
  test("are absolute per class: applying the same target twice changes nothing and restarts no one", async () => {
    const { user, seen } = countingUser("Shopper");
    const { pool } = harness(user);
    pool.setTargets({ Shopper: 2 }, 1);
    await until(() => seen.runs >= 4, "both users to run tasks");
    pool.setTargets({ Shopper: 2 }, 1);
    const runsThen = seen.runs;
    await until(() => seen.runs >= runsThen + 6, "the users to keep running after the repeated target");
    expect(pool.counts()).toEqual({ Shopper: 2 });
    expect(seen.starts).toEqual([1, 2]);
    expect(seen.stops).toEqual([]);
  });

  test("scale a class up and down, stopping the surplus users and closing their clients", async () => {
    const { user, seen } = countingUser("Shopper");
    const { pool, clients } = harness(user);
    pool.setTargets({ Shopper: 1 }, 1);
    pool.setTargets({ Shopper: 4 }, 1);
    expect(pool.counts()).toEqual({ Shopper: 4 });
    expect(pool.userCount).toBe(4);
    await until(() => seen.starts.length === 4, "four onStart calls");
    pool.setTargets({ Shopper: 1 }, 1);
    expect(pool.counts()).toEqual({ Shopper: 1 });
    await until(() => seen.stops.length === 3, "three onStop calls");
    await until(() => clients.filter((c) => c.closed).length === 3, "three clients closed");
    expect(seen.stops.sort()).toEqual([2, 3, 4]);
    expect(clients.filter((c) => c.closed).map((c) => c.signal.aborted)).toEqual([true, true, true]);
  });

  test("leave classes the master did not name alone", async () => {
    const a = countingUser("A");
    const b = countingUser("B");
    const { pool } = harness(a.user, b.user);
    pool.setTargets({ A: 1, B: 2 }, 1);
    pool.setTargets({ A: 3 }, 1);
    expect(pool.counts()).toEqual({ A: 3, B: 2 });
    await until(() => b.seen.starts.length === 2, "B's users to start");
    expect(b.seen.stops).toEqual([]);
  });

  test("run the fallback for a class the worker lacks, count it by the master's name, and warn once", async () => {
    const { user: shop } = countingUser("Shop");
    const seenClasses = new Set<string>();
    const ping = defineTask({ name: "ping", fn: (ctx) => void seenClasses.add(ctx.userClass) });
    const { pool, log } = harness(shop, ping);
    pool.setTargets({ Shop: 1, PythonOnlyUser: 2 }, 1);
    pool.setTargets({ Shop: 1, PythonOnlyUser: 3 }, 1);
    expect(pool.counts()).toEqual({ Shop: 1, PythonOnlyUser: 3 });
    await until(() => seenClasses.has("PythonOnlyUser") || undefined, "the fallback task to run");
    const warnings = log.lines.filter((l) => l.level === "warn" && l.message.includes("PythonOnlyUser"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain("running DefaultUser");
  });
});

describe("a user", () => {
  test("whose task throws reports it with the task's name and keeps running it", async () => {
    let runs = 0;
    const flaky = defineTask({
      name: "flaky",
      fn: () => {
        runs++;
        throw new TypeError("boom");
      },
    });
    const { pool, exceptions } = harness(defineUser({ name: "Flaky", waitTime: constant(0.001), tasks: [flaky] }));
    pool.setTargets({ Flaky: 1 }, 1);
    await until(() => runs >= 3, "the task to run three times");
    expect(pool.counts()).toEqual({ Flaky: 1 });
    expect(exceptions[0]?.where).toBe("flaky");
    expect(exceptions[0]?.error).toBeInstanceOf(TypeError);
    expect(exceptions.length).toBeGreaterThanOrEqual(2);
  });

  test("whose task throws a value that is not an Error reports that value", async () => {
    const odd = defineTask({ name: "odd", fn: async () => Promise.reject({ reason: "teapot" }) });
    const { pool, exceptions } = harness(defineUser({ name: "Odd", waitTime: constant(0.001), tasks: [odd] }));
    pool.setTargets({ Odd: 1 }, 1);
    await until(() => exceptions.length >= 2, "two reports");
    expect(exceptions[0]).toEqual({ error: { reason: "teapot" }, where: "odd" });
  });

  test("runs onStart before its first task and onStop once when stopped", async () => {
    const order: string[] = [];
    const user = defineUser({
      name: "Ordered",
      waitTime: constant(0.005),
      onStart: async (ctx) => {
        await ctx.sleep(0.01);
        order.push(`start ${ctx.userId}`);
      },
      onStop: (ctx) => void order.push(`stop ${ctx.userId}`),
      tasks: [{ name: "t", fn: (ctx) => void order.push(`task ${ctx.userId}`) }],
    });
    const { pool } = harness(user);
    pool.setTargets({ Ordered: 2 }, 1);
    await until(() => order.filter((o) => o.startsWith("task")).length >= 4, "tasks to run");
    await within(pool.stopAll(1), 2_000, "stopAll");
    for (const id of [1, 2]) {
      const mine = order.filter((o) => o.endsWith(` ${id}`));
      expect(mine[0]).toBe(`start ${id}`);
      expect(mine.at(-1)).toBe(`stop ${id}`);
      expect(mine.filter((o) => o.startsWith("start") || o.startsWith("stop"))).toHaveLength(2);
    }
  });

  test("whose state() factory throws is reported, and setTargets still starts the other users", () => {
    let made = 0;
    const user = defineUser({
      name: "Fragile",
      waitTime: constant(60),
      state: () => {
        if (++made === 1) throw new Error("no state for you");
        return {};
      },
      tasks: [{ name: "t", fn: () => {} }],
    });
    const { pool, exceptions } = harness(user);
    expect(() => pool.setTargets({ Fragile: 3 }, 1)).not.toThrow();
    expect(pool.counts()).toEqual({ Fragile: 3 });
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]?.where).toBe("Fragile.state");
  });
});

describe("stopping", () => {
  test("wakes users sleeping in their wait time at once, not after the wait", async () => {
    const { user, seen } = countingUser("Sleeper", 3_600);
    const { pool } = harness(user);
    pool.setTargets({ Sleeper: 3 }, 1);
    await until(() => seen.runs === 3, "each user's first task");
    // The stop timeout is an hour too: only the abort can make this resolve in time.
    await within(pool.stopAll(3_600), 2_000, "stopAll of sleeping users");
    expect(seen.stops).toHaveLength(3);
    expect(pool.counts()).toEqual({});
  });

  test("abandons a task that ignores the signal after stop_timeout, and warns", async () => {
    let started = 0;
    const { pool, log, clients } = harness(defineTask({ name: "stuck", fn: () => (started++, new Promise(() => {})) }));
    pool.setTargets({ DefaultUser: 2 }, 1);
    await until(() => started === 2, "both tasks to start");
    await within(pool.stopAll(0.05), 2_000, "stopAll with a stuck task");
    expect(log.lines.filter((l) => l.level === "warn" && l.message.includes("abandoned"))).toHaveLength(2);
    expect(clients.map((c) => c.closed)).toEqual([true, true]);
  });
});

describe("recordSuccess / recordFailure (the free functions)", () => {
  test("record into the recorder of the pool running the task, across awaits", async () => {
    const task = (label: string) =>
      defineTask({
        name: "measured",
        fn: async (ctx: UserContext) => {
          recordSuccess("grpc", `${label} before`, 1.5, 10);
          await ctx.sleep(0.002);
          await Promise.resolve();
          recordFailure("grpc", `${label} after`, 2.5, new Error("deadline exceeded"));
        },
      });
    const one = harness(task("one"));
    const two = harness(task("two"));
    one.pool.setTargets({ DefaultUser: 1 }, 1);
    two.pool.setTargets({ DefaultUser: 1 }, 1);
    await until(() => one.recorder.records.length >= 4 && two.recorder.records.length >= 4, "records in both pools");
    for (const [h, label] of [[one, "one"], [two, "two"]] as const) {
      expect(new Set(h.recorder.records.map((r) => r.name))).toEqual(new Set([`${label} before`, `${label} after`]));
      expect(h.recorder.records[0]).toEqual({ ok: true, method: "grpc", name: `${label} before`, ms: 1.5, detail: 10 });
      expect((h.recorder.records[1]?.detail as Error).message).toBe("deadline exceeded");
    }
  });

  test("work in onStart too", async () => {
    const user = defineUser({
      name: "Login",
      waitTime: constant(60),
      onStart: async () => {
        await Promise.resolve();
        recordSuccess("auth", "login", 3, 0);
      },
      tasks: [{ name: "t", fn: () => {} }],
    });
    const { pool, recorder } = harness(user);
    pool.setTargets({ Login: 1 }, 1);
    await until(() => recorder.records.length === 1, "the login record");
    expect(recorder.records[0]?.name).toBe("login");
  });

  test("throw a clear error outside a task", () => {
    expect(() => recordSuccess("GET", "x", 1, 1)).toThrow("recordSuccess() was called outside a running task");
    expect(() => recordFailure("GET", "x", 1, "no")).toThrow("recordFailure() was called outside a running task");
  });
});

describe("a task that never waits", () => {
  // Bounded: after CAP runs the task starts sleeping, which would let a starved timer fire late;
  // the assertion is that the timer fired long before that.
  const CAP = 200_000;

  for (const [kind, fn] of [
    ["synchronous", (count: () => number) => () => void count()],
    ["async without I/O", (count: () => number) => async () => void count()],
    ["throwing at once", (count: () => number) => () => {
      count();
      throw new Error("fails fast");
    }],
  ] as const) {
    test(`(${kind}) does not starve timers`, async () => {
      let runs = 0;
      const count = () => ++runs;
      const body = fn(count);
      const { pool } = harness(
        defineTask({ name: "spin", fn: (ctx) => (runs >= CAP ? ctx.sleep(3_600) : body()) }),
      );
      const fired = new Promise<number>((resolve) => setTimeout(() => resolve(runs), 5));
      pool.setTargets({ DefaultUser: 1 }, 0);
      const runsWhenFired = await within(fired, 10_000, "the timer to fire");
      expect(runsWhenFired).toBeGreaterThan(0);
      expect(runsWhenFired).toBeLessThan(CAP);
    });
  }
});
