import { afterEach, describe, expect, test } from "bun:test";
import { systemClock } from "../../src/clock.ts";
import { RescheduleTask, constant, defineUser, sendMessage } from "../../src/index.ts";
import { createRateLimiter } from "../../src/users/rate-limit.ts";
import { within } from "../support/wait.ts";
import { harness, harnessWith, stopPools, until } from "./pool-harness.ts";

afterEach(stopPools);

describe("ctx.stopUser() (Locust's StopUser)", () => {
  test("ends the user after onStop; it is no longer counted and nothing is reported", async () => {
    const seen: string[] = [];
    const user = defineUser({
      name: "Quitter",
      onStop: () => void seen.push("onStop"),
      tasks: [{ name: "once", fn: (ctx) => (seen.push("task"), ctx.stopUser()) }],
    });
    const { pool, exceptions } = harness(user);
    pool.setTargets({ Quitter: 2 }, 1);
    await until(() => pool.userCount === 0 || undefined, "both users to stop themselves");
    expect(seen.filter((s) => s === "task")).toHaveLength(2);
    expect(seen.filter((s) => s === "onStop")).toHaveLength(2);
    expect(pool.counts()).toEqual({ Quitter: 0 });
    expect(exceptions).toEqual([]);
    // The master's next spawn for the class starts new ones (absolute targets).
    pool.setTargets({ Quitter: 2 }, 1);
    await until(() => seen.filter((s) => s === "task").length >= 4 || undefined, "replacements to run");
  });

  test("from onStart skips the tasks and still runs onStop", async () => {
    const seen: string[] = [];
    const user = defineUser({
      name: "NoStart",
      onStart: (ctx) => ctx.stopUser(),
      onStop: () => void seen.push("onStop"),
      tasks: [{ name: "never", fn: () => void seen.push("task") }],
    });
    const { pool } = harness(user);
    pool.setTargets({ NoStart: 1 }, 1);
    await until(() => pool.userCount === 0 || undefined, "the user to stop itself");
    expect(seen).toEqual(["onStop"]);
  });
});

describe("ctx.rescheduleTask() (Locust's RescheduleTask)", () => {
  test("ends the task early without a failure or an exception report, and the user goes on", async () => {
    let after = 0;
    let runs = 0;
    const user = defineUser({
      name: "Early",
      waitTime: constant(0.001),
      tasks: [
        {
          name: "early",
          fn: (ctx) => {
            runs++;
            if (runs % 2 === 0) throw new RescheduleTask(); // the class works as well as the method
            ctx.rescheduleTask();
            after++;
          },
        },
      ],
    });
    const { pool, exceptions, recorder } = harness(user);
    pool.setTargets({ Early: 1 }, 1);
    await until(() => runs >= 4 || undefined, "four runs");
    expect(after).toBe(0);
    expect(exceptions).toEqual([]);
    expect(recorder.records).toEqual([]);
  });
});

describe("tags and web UI edits shape the users started afterwards", () => {
  const ran = new Set<string>();
  const user = defineUser({
    name: "Tagged",
    waitTime: constant(0.001),
    tasks: [
      { name: "read", tags: ["r"], fn: () => void ran.add("read") },
      { name: "write", tags: ["w"], fn: () => void ran.add("write") },
      { name: "plain", fn: () => void ran.add("plain") },
    ],
  });

  test("--tags runs only the tagged tasks", async () => {
    ran.clear();
    const { pool } = harness(user);
    pool.classes.setTagFilter({ tags: new Set(["w"]), excludeTags: null });
    pool.setTargets({ Tagged: 2 }, 1);
    await until(() => ran.size > 0 || undefined, "a task");
    await new Promise((r) => setTimeout(r, 30));
    expect([...ran]).toEqual(["write"]);
  });

  test("a task list from update_user_class applies to the users started afterwards", async () => {
    ran.clear();
    const { pool } = harness(user);
    pool.classes.update({ userClassName: "Tagged", tasks: ["plain"] });
    pool.setTargets({ Tagged: 1 }, 1);
    await until(() => ran.size > 0 || undefined, "a task");
    await new Promise((r) => setTimeout(r, 30));
    expect([...ran]).toEqual(["plain"]);
  });

  test("a class left without tasks idles until stopped, with one warning", async () => {
    const { pool, log } = harness(user);
    pool.classes.setTagFilter({ tags: new Set(["none"]), excludeTags: null });
    pool.setTargets({ Tagged: 2 }, 1);
    expect(pool.counts()).toEqual({ Tagged: 2 });
    await within(pool.stopAll(1), 2_000, "idle users to stop");
    expect(log.lines.filter((l) => l.message.includes("no tasks left"))).toHaveLength(1);
  });

  test("a host edit shows only when the master sends no host, as Locust's start_worker does", () => {
    const { pool, clients } = harness(user);
    pool.classes.update({ userClassName: "Tagged", host: "http://edited" });
    pool.env = { masterHost: "http://spawn", host: "http://flag", workerIndex: 0, parsedOptions: {} };
    pool.setTargets({ Tagged: 1 }, 1);
    pool.env = { masterHost: null, host: "http://flag", workerIndex: 0, parsedOptions: {} };
    pool.setTargets({ Tagged: 2 }, 1);
    expect(clients.map((c) => c.host)).toEqual(["http://spawn", "http://edited"]);
  });
});

describe("the rate limiter in the user loop", () => {
  test("users waiting for a token leave at once when stopped", async () => {
    // One token per 60 s period: after the first task every user waits, and only the abort can end it in time.
    const limiter = createRateLimiter({ maxRps: 1 / 60, clock: systemClock, refillPeriodMs: 60_000 });
    let runs = 0;
    const user = defineUser({ name: "Limited", tasks: [{ name: "t", fn: () => void runs++ }] });
    const { pool } = harnessWith({ limiter }, user);
    pool.setTargets({ Limited: 5 }, 30);
    await until(() => runs >= 1 || undefined, "the first period's tokens");
    await within(pool.stopAll(30), 1_000, "users waiting for a token to stop");
    expect(runs).toBe(1);
  });
});

describe("sendMessage from a task", () => {
  test("the free function and ctx.sendMessage reach the worker's sender", async () => {
    const sent: unknown[] = [];
    const user = defineUser({
      name: "Sender",
      tasks: [
        {
          name: "send",
          fn: async (ctx) => {
            sendMessage("free", { id: ctx.userId });
            await Promise.resolve();
            ctx.sendMessage("ctx", 1);
            ctx.stopUser();
          },
        },
      ],
    });
    const { pool } = harnessWith({ sendMessage: (type, data) => void sent.push([type, data]) }, user);
    pool.setTargets({ Sender: 1 }, 1);
    await until(() => sent.length === 2 || undefined, "two messages");
    expect(sent).toEqual([
      ["free", { id: 1 }],
      ["ctx", 1],
    ]);
  });
});
