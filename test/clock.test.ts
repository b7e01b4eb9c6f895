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
});
