import { afterEach, describe, expect, test } from "bun:test";
import { constant, defineTask, defineUser, recordFailure, recordSuccess } from "../../src/index.ts";
import type { UserContext } from "../../src/api/definitions.ts";
import { within } from "../support/wait.ts";
import { harness, stopPools, until } from "./pool-harness.ts";

afterEach(stopPools);

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

  test("stopped in the middle of onStart runs onStop and no task (Locust calls on_stop then too)", async () => {
    const order: string[] = [];
    const user = defineUser({
      name: "SlowLogin",
      onStart: async (ctx) => {
        order.push("start");
        await ctx.sleep(3_600);
      },
      onStop: () => void order.push("stop"),
      tasks: [{ name: "t", fn: () => void order.push("task") }],
    });
    const { pool, exceptions } = harness(user);
    pool.setTargets({ SlowLogin: 1 }, 1);
    await until(() => order.length === 1 || undefined, "onStart to begin");
    await within(pool.stopAll(1), 2_000, "stopAll during onStart");
    expect(order).toEqual(["start", "stop"]);
    expect(exceptions).toEqual([]);
  });

  test("whose onStart or onStop throws reports it by hook name, and still runs its tasks", async () => {
    let runs = 0;
    const user = defineUser({
      name: "Hooks",
      waitTime: constant(0.001),
      onStart: () => {
        throw new Error("login failed");
      },
      onStop: async () => Promise.reject(new Error("logout failed")),
      tasks: [{ name: "t", fn: () => void runs++ }],
    });
    const { pool, exceptions } = harness(user);
    pool.setTargets({ Hooks: 1 }, 1);
    await until(() => runs >= 2, "tasks after the failed onStart");
    await within(pool.stopAll(1), 2_000, "stopAll");
    expect(exceptions.map((e) => `${e.where}: ${(e.error as Error).message}`)).toEqual([
      "Hooks.onStart: login failed",
      "Hooks.onStop: logout failed",
    ]);
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
    for (const [h, label] of [
      [one, "one"],
      [two, "two"],
    ] as const) {
      expect(new Set(h.recorder.records.map((r) => r.name))).toEqual(new Set([`${label} before`, `${label} after`]));
      expect(h.recorder.records[0]).toEqual({ ok: true, method: "grpc", name: `${label} before`, ms: 1.5, detail: 10 });
      expect((h.recorder.records[1]?.detail as Error | undefined)?.message).toBe("deadline exceeded");
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
    [
      "throwing at once",
      (count: () => number) => () => {
        count();
        throw new Error("fails fast");
      },
    ],
  ] as const) {
    test(`(${kind}) does not starve timers`, async () => {
      let runs = 0;
      const count = () => ++runs;
      const body = fn(count);
      const { pool } = harness(defineTask({ name: "spin", fn: (ctx) => (runs >= CAP ? ctx.sleep(3_600) : body()) }));
      const fired = new Promise<number>((resolve) => setTimeout(() => resolve(runs), 5));
      pool.setTargets({ DefaultUser: 1 }, 0);
      const runsWhenFired = await within(fired, 10_000, "the timer to fire");
      expect(runsWhenFired).toBeGreaterThan(0);
      expect(runsWhenFired).toBeLessThan(CAP);
    });
  }
});
