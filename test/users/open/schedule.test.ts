import { describe, expect, test } from "bun:test";
import { constantRate, rampingRate } from "../../../src/users/open/schedule.ts";

describe("constantRate", () => {
  test.each([
    // rate, k → seconds
    [50, 1, 0.02],
    [50, 50, 1],
    [50, 3_000, 60],
    [0.5, 1, 2],
    [20_000, 20_000, 1],
  ])("at %p/s iteration %p is due at %p s", (rate, k, seconds) => {
    expect(constantRate(rate).dueAt(k)).toBeCloseTo(seconds, 9);
  });

  test("R per second for T seconds starts exactly R·T iterations", () => {
    const s = constantRate(100);
    expect([0, 0.005, 0.01, 1, 2.5, 60].map((t) => s.dueBy(t))).toEqual([0, 0, 1, 100, 250, 6_000]);
    expect(s.seconds).toBe(Number.POSITIVE_INFINITY);
    expect(s.rateAt(1e6)).toBe(100);
  });
});

describe("rampingRate (k6's ramping-arrival-rate)", () => {
  // 0 → 50/s over 30 s, 50 → 200/s over 120 s, 200 → 0 over 30 s.
  const s = rampingRate(0, [
    { seconds: 30, rate: 50 },
    { seconds: 120, rate: 200 },
    { seconds: 30, rate: 0 },
  ]);

  test.each([
    // seconds → iterations due: the area under the rate
    [0, 0],
    [10, Math.floor((10 * (50 / 3)) / 2)], // 83: a triangle to 16.67/s
    [30, 750],
    [90, 750 + (50 + 125) * 30], // 6,000
    [150, 750 + 15_000],
    [165, 750 + 15_000 + ((200 + 100) / 2) * 15], // 18,000
    [180, 750 + 15_000 + 3_000],
    [1_000, 18_750],
  ])("by %p s: %p iterations", (t, n) => {
    expect(s.dueBy(t)).toBe(n);
  });

  test("dueAt inverts dueBy: iteration k is due when the k-th is", () => {
    for (const k of [1, 2, 83, 84, 750, 751, 6_000, 15_750, 18_000, 18_749]) {
      const t = s.dueAt(k);
      expect(s.dueBy(t)).toBe(k);
      expect(s.dueBy(t - 1e-6)).toBe(k - 1);
    }
    expect(s.dueAt(18_750)).toBeCloseTo(180, 5); // the last one, as the rate reaches 0
    expect(s.dueAt(18_751)).toBe(Number.POSITIVE_INFINITY);
  });

  test("the rate follows the stages", () => {
    expect([0, 15, 30, 90, 150, 165, 180].map((t) => s.rateAt(t))).toEqual([0, 25, 50, 125, 200, 100, 0]);
    expect(s.seconds).toBe(180);
  });

  test("a hold (a stage to the same rate) is a constant rate, and a start rate begins there", () => {
    const hold = rampingRate(10, [{ seconds: 5, rate: 10 }]);
    expect([1, 50].map((k) => hold.dueAt(k))).toEqual([0.1, 5]);
    expect(hold.dueBy(5)).toBe(50);
    expect(hold.dueAt(51)).toBe(Number.POSITIVE_INFINITY);
  });

  test("a stage down to 0 ends its iterations before the stage does", () => {
    const down = rampingRate(100, [{ seconds: 2, rate: 0 }]);
    expect(down.dueBy(2)).toBe(100);
    expect(down.dueAt(100)).toBeCloseTo(2, 6);
    expect(down.dueAt(50)).toBeCloseTo(2 - Math.sqrt(2), 9); // half the area of the triangle left after t
  });
});
