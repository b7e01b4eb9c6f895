import { describe, expect, test } from "bun:test";
import { perRoundClock } from "../src/clock.ts";

describe("the per-round clock", () => {
  test("reads the clock once for the microtasks queued in one round, and afresh in the next", async () => {
    let reads = 0;
    let t = 1000;
    const clock = perRoundClock({ now: () => (reads++, t), epoch: () => t / 1000 });
    const seen: number[][] = [];
    // Three "users" already queued, each reading the time: one read serves all of them.
    await Promise.all(
      [1, 2, 3].map(() =>
        Promise.resolve().then(() => {
          seen.push([clock.now(), clock.epoch()]);
          t += 500;
        }),
      ),
    );
    expect(seen).toEqual([
      [1000, 1],
      [1000, 1],
      [1000, 1],
    ]);
    expect(reads).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect([clock.now(), clock.epoch()]).toEqual([2500, 2.5]);
    expect(reads).toBe(2);
  });

  test("reads only the value asked for, and one microtask ends the round for both", async () => {
    const reads = { now: 0, epoch: 0 };
    const clock = perRoundClock({ now: () => (reads.now++, 1000), epoch: () => (reads.epoch++, 1) });
    const queued = globalThis.queueMicrotask;
    let microtasks = 0;
    globalThis.queueMicrotask = (fn) => (microtasks++, queued(fn));
    try {
      clock.epoch();
      clock.epoch();
      expect(reads).toEqual({ now: 0, epoch: 1 });
      clock.now();
      clock.now();
      expect(reads).toEqual({ now: 1, epoch: 1 });
      expect(microtasks).toBe(1);
    } finally {
      globalThis.queueMicrotask = queued;
    }
    await Promise.resolve();
    clock.now();
    expect(reads).toEqual({ now: 2, epoch: 1 });
  });
});
