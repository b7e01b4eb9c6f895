import { describe, expect, test } from "bun:test";
import { windowLimiter } from "../src/limiter.ts";

describe("windowLimiter", () => {
  test("lets `limit` through per window, drops the rest, and reports the dropped count when the window rolls over", () => {
    let now = 0;
    const dropped: number[] = [];
    const allow = windowLimiter({ limit: 2, windowMs: 1000, now: () => now, onDropped: (n) => dropped.push(n) });
    expect([allow(), allow(), allow(), allow()]).toEqual([true, true, false, false]);
    now = 999;
    expect(allow()).toBe(false);
    expect(dropped).toEqual([]);
    now = 1000;
    expect(allow()).toBe(true);
    expect(dropped).toEqual([3]);
    now = 5000;
    expect(allow()).toBe(true);
    expect(dropped).toEqual([3]); // nothing dropped in the last window: nothing to say
  });
});
