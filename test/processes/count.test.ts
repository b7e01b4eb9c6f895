import { describe, expect, test } from "bun:test";
import { restartDelay } from "../../src/processes/backoff.ts";
import { parseProcessCount, quotaCores } from "../../src/processes/count.ts";

describe("--processes", () => {
  test("takes a whole number of processes, or -1 for one per usable core", () => {
    expect(parseProcessCount("1", 8)).toBe(1);
    expect(parseProcessCount("4", 8)).toBe(4);
    expect(parseProcessCount("-1", 8)).toBe(8);
  });

  for (const bad of ["0", "abc", "", "-2", "1.5", "2x", "5000"]) {
    test(`refuses "${bad}" with a usage error that says what is valid`, () => {
      expect(() => parseProcessCount(bad, 2)).toThrow(/--processes must be a number of worker processes from 1 to 1024, or -1/);
    });
  }
});

describe("restarting a crashed worker process", () => {
  const policy = { minMs: 500, maxMs: 4000, healthyAfterMs: 60_000 };
  test("waits longer for each crash in a row, up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((streak) => restartDelay(policy, streak, 100).delayMs)).toEqual([500, 1000, 2000, 4000, 4000]);
  });
  test("starts afresh after a child that ran long enough", () => {
    expect(restartDelay(policy, 5, 60_000)).toEqual({ delayMs: 500, streak: 1 });
  });
});

describe("the cores a cgroup CPU limit allows", () => {
  test("reads cgroup v2 cpu.max and v1 quota/period, rounding up; no quota is no limit", () => {
    expect(quotaCores("200000 100000\n")).toBe(2);
    expect(quotaCores("150000 100000")).toBe(2);
    expect(quotaCores("50000 100000")).toBe(1);
    expect(quotaCores("max 100000")).toBeUndefined();
    expect(quotaCores(undefined, "400000\n", "100000\n")).toBe(4);
    expect(quotaCores(undefined, "-1\n", "100000\n")).toBeUndefined();
    expect(quotaCores(undefined)).toBeUndefined();
  });
});
