import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { StopUser, constant, defineTask, defineUser } from "../../src/index.ts";
import { within } from "../support/wait.ts";
import { countingUser, harness, stopPools, until } from "./pool-harness.ts";

afterEach(stopPools);

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
    const stopped = pool.setTargets({ Shopper: 1 }, 1);
    // Like Locust, users finishing their task still count until they have stopped.
    expect(pool.counts()).toEqual({ Shopper: 4 });
    await within(stopped, 2_000, "the surplus users to stop");
    expect(pool.counts()).toEqual({ Shopper: 1 });
    expect(seen.stops.sort()).toEqual([2, 3, 4]);
    // They ended within stop_timeout, so they were never killed.
    expect(clients.filter((c) => c.closed).map((c) => c.signal.aborted)).toEqual([false, false, false]);
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

  test("lets a task in flight finish within stop_timeout: its request is recorded and it is not killed", async () => {
    let inFlight = 0;
    let killedDuringTask = false;
    const slow = defineUser({
      name: "Slow",
      tasks: [
        {
          name: "slow",
          fn: async (ctx) => {
            inFlight++;
            await new Promise((r) => setTimeout(r, 80));
            killedDuringTask ||= ctx.signal.aborted;
            ctx.recordSuccess("GET", "/slow", 80, 1);
          },
        },
      ],
    });
    const { pool, recorder } = harness(slow);
    pool.setTargets({ Slow: 2 }, 5);
    await until(() => inFlight === 2, "both tasks in flight");
    await within(pool.stopAll(5), 3_000, "the stop to wait for the tasks");
    expect(recorder.records.filter((r) => r.name === "/slow").length).toBeGreaterThanOrEqual(2);
    expect(killedDuringTask).toBe(false);
    expect(pool.userCount).toBe(0);
  });

  test("with stop_timeout 0 kills at once: the task's signal aborts", async () => {
    let sawAbort = false;
    const waits = defineUser({
      name: "Waits",
      tasks: [
        {
          name: "wait",
          fn: (ctx) =>
            new Promise<void>((resolve) =>
              ctx.signal.addEventListener("abort", () => {
                sawAbort = true;
                resolve();
              }),
            ),
        },
      ],
    });
    const { pool } = harness(waits);
    pool.setTargets({ Waits: 1 }, 0);
    await new Promise((r) => setTimeout(r, 10));
    await within(pool.stopAll(0), 1_000, "an immediate stop");
    expect(sawAbort).toBe(true);
  });

  test("abandons a task that ignores the signal after stop_timeout, and warns", async () => {
    let started = 0;
    const { pool, log, clients } = harness(defineTask({ name: "stuck", fn: () => (started++, new Promise(() => {})) }));
    pool.setTargets({ DefaultUser: 2 }, 1);
    await until(() => started === 2, "both tasks to start");
    await within(pool.stopAll(0.05), 5_000, "stopAll with a stuck task (stop_timeout, then the kill grace)");
    expect(log.lines.filter((l) => l.level === "warn" && l.message.includes("abandoned"))).toHaveLength(2);
    expect(clients.map((c) => c.closed)).toEqual([true, true]);
  });
});

describe("what a killed user's task throws", () => {
  // A login that turns the kill into its own error, as login code commonly does.
  let started = 0;
  const failsWhenKilled = (ctx: { signal: AbortSignal }) =>
    new Promise<void>((_, reject) => {
      started++;
      ctx.signal.addEventListener("abort", () => reject(new Error("login failed: the request was aborted")));
    });
  beforeEach(() => {
    started = 0;
  });

  test("is not an exception: a task that turns the kill into its own error reports nothing (Locust's killed greenlet reports nothing)", async () => {
    const wraps = defineTask({ name: "wraps", fn: failsWhenKilled });
    const { pool, exceptions } = harness(wraps);
    pool.setTargets({ DefaultUser: 1 }, 0);
    await until(() => started === 1, "the task to start");
    await within(pool.stopAll(0), 1_000, "the kill");
    expect(exceptions).toEqual([]);
  });

  test("is not an exception either once the user was abandoned: it would land in a later test's Exceptions tab", async () => {
    let fail: (error: Error) => void = () => {};
    const stuck = defineTask({ name: "stuck", fn: () => new Promise<void>((_, reject) => (fail = reject)) });
    const { pool, exceptions } = harness(stuck);
    pool.setTargets({ DefaultUser: 1 }, 0);
    await new Promise((r) => setTimeout(r, 10));
    await within(pool.stopAll(0), 5_000, "the kill, then the kill grace");
    fail(new Error("GET /get on an HttpClient that was already closed"));
    await new Promise((r) => setTimeout(r, 10));
    expect(exceptions).toEqual([]);
  });

  test("is not an exception in onStart either: a login killed mid-way that rethrows reports nothing", async () => {
    const logsIn = defineUser({ name: "LogsIn", onStart: failsWhenKilled, tasks: [{ name: "t", fn: () => {} }] });
    const { pool, exceptions } = harness(logsIn);
    pool.setTargets({ LogsIn: 1 }, 0);
    await until(() => started === 1, "onStart to start");
    await within(pool.stopAll(0), 1_000, "the kill");
    expect(exceptions).toEqual([]);
  });

  test("before the kill, while the stop waits out stop_timeout, is still reported", async () => {
    let started = 0;
    const failsOnStop = defineUser({
      name: "FailsOnStop",
      tasks: [
        {
          name: "fails",
          fn: async (ctx) => {
            started++;
            await new Promise((r) => setTimeout(r, 30));
            if (!ctx.signal.aborted) throw new Error("a real failure");
          },
        },
      ],
    });
    const { pool, exceptions } = harness(failsOnStop);
    pool.setTargets({ FailsOnStop: 1 }, 0);
    await until(() => started === 1, "the task to start");
    await within(pool.stopAll(5), 2_000, "a graceful stop");
    expect(exceptions.map((e) => e.where)).toEqual(["fails"]);
  });
});

describe("a user class whose state() factory throws", () => {
  test("is reported as Class.state, and setTargets still starts the other users", () => {
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

describe("a kill during a graceful stop", () => {
  test("ends users still finishing the earlier stop, and the watchdog with them", async () => {
    let aborted = 0;
    const slowStop = defineUser({
      name: "SlowStop",
      tasks: [
        { name: "long", fn: (ctx) => new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => (aborted++, resolve()))) },
      ],
    });
    const { pool } = harness(slowStop);
    pool.setTargets({ SlowStop: 2 }, 30);
    await new Promise((r) => setTimeout(r, 10));
    const graceful = pool.stopAll(30); // would wait up to 30 s for the tasks
    expect(pool.counts()).toEqual({ SlowStop: 2 });
    await within(pool.stopAll(0), 2_000, "the kill");
    await within(graceful, 2_000, "the earlier stop, ended by the kill");
    expect(aborted).toBe(2);
    expect(pool.userCount).toBe(0);
    expect((pool as unknown as { watchdog: { running: boolean } }).watchdog.running).toBe(false);
  });
});

describe("users that stop themselves", () => {
  test("a StopUser with a reason (a feeder out of rows) is said once a class; ctx.stopUser() says nothing", async () => {
    let ran = 0;
    const outOfRows = defineUser({
      name: "Reader",
      tasks: [
        {
          name: "read",
          fn: () => {
            ran++;
            throw new StopUser('feeder("users.csv") has no unique rows left');
          },
        },
      ],
    });
    const leaver = defineUser({ name: "Leaver", tasks: [{ name: "leave", fn: ({ stopUser }) => stopUser() }] });
    const { pool, log } = harness(outOfRows, leaver);
    await pool.setTargets({ Reader: 3, Leaver: 2 }, 0);
    await until(() => (ran === 3 && pool.userCount === 0 ? true : undefined), "every user to stop itself");
    expect(log.lines.map((l) => l.message).filter((m) => m.includes("StopUser"))).toEqual([
      'Reader: feeder("users.csv") has no unique rows left; its users that hit it stop (StopUser)',
    ]);
  });
});
