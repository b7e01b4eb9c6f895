import { afterEach, describe, expect, test } from "bun:test";
import { defineUser } from "../../src/index.ts";
import { harnessWith, stopPools, until } from "./pool-harness.ts";

afterEach(stopPools);

const hanging = defineUser({
  name: "Hangs",
  tasks: [{ name: "never returns", fn: () => new Promise(() => {}) }],
});

describe("the hung-task watchdog", () => {
  test("warns once about a task that runs past the limit, naming it, and the worker goes on", async () => {
    const { pool, log } = harnessWith({ hungTaskMs: 30 }, hanging);
    pool.setTargets({ Hangs: 2 }, 0);
    pool.checkHung();
    expect(log.lines.filter((l) => l.level === "warn")).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    pool.checkHung();
    pool.checkHung();
    const warnings = log.lines.filter((l) => l.level === "warn" && l.message.includes("never returns"));
    expect(warnings).toHaveLength(2); // one per user, not one per check
    expect(warnings[0]?.message).toMatch(/user \d+ \(Hangs\) has been running for \d+s/);
    expect(pool.counts()).toEqual({ Hangs: 2 });
  });

  test("stays quiet about tasks that finish in time, however long the test runs", async () => {
    let runs = 0;
    const quick = defineUser({
      name: "Quick",
      tasks: [{ name: "fast", fn: () => new Promise<void>((r) => setTimeout(() => (runs++, r()), 5)) }],
    });
    // 3 users of 5 ms tasks: 330 runs take ~550 ms, longer than hungTaskMs in total, while a task's
    // own run stays 100 times shorter than it (a process descheduled for <0.5 s stays quiet too).
    const { pool, log } = harnessWith({ hungTaskMs: 500 }, quick);
    pool.setTargets({ Quick: 3 }, 0);
    await until(() => (runs >= 330 ? true : undefined), "many task runs, longer than hungTaskMs in total");
    pool.checkHung();
    expect(log.lines.filter((l) => l.level === "warn")).toEqual([]);
  });
});
