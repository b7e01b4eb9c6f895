import { afterEach, describe, expect, test } from "bun:test";
import { constant, defineUser } from "../../src/index.ts";
import { START_SLICE_MS, StartQueue } from "../../src/users/start-queue.ts";
import { harness, stopPools, until } from "./pool-harness.ts";

afterEach(stopPools);

describe("the start queue", () => {
  test("runs starts until a slice is spent, and the rest in later event-loop turns, in order", async () => {
    let now = 0;
    const queue = new StartQueue(() => now);
    const ran: number[] = [];
    for (let i = 0; i < 10; i++)
      queue.push(() => {
        ran.push(i);
        now += START_SLICE_MS / 2;
      });
    queue.drain();
    expect(ran).toEqual([0, 1]); // the second start spent the slice
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([0, 1, 2, 3]); // one slice per turn
    await until(() => ran.length === 10, "all ten starts");
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(timerRan).toBe(true); // timers and I/O ran between the slices
  });

  test("a drain while later turns are scheduled leaves the order to them", async () => {
    let now = 0;
    const queue = new StartQueue(() => now);
    const ran: string[] = [];
    queue.push(() => {
      ran.push("a");
      now += START_SLICE_MS;
    });
    queue.push(() => ran.push("b"));
    queue.drain();
    queue.push(() => ran.push("c"));
    queue.drain();
    expect(ran).toEqual(["a"]);
    await until(() => ran.length === 3, "b and c");
    expect(ran).toEqual(["a", "b", "c"]);
  });
});

describe("users start in slices", () => {
  test("are counted at once; one stopped before its turn never runs onStart, onStop or a task", async () => {
    const started: number[] = [];
    const Busy = defineUser({
      name: "Busy",
      waitTime: constant(3600),
      // Each onStart spends a whole slice, so every user after the first waits for a later turn.
      onStart: ({ userId }) => {
        started.push(userId);
        const until = performance.now() + START_SLICE_MS + 0.5;
        while (performance.now() < until) {}
      },
      onStop: ({ userId }) => void started.push(-userId),
      tasks: [{ name: "t", weight: 1, fn: () => {} }],
    });
    const { pool } = harness(Busy);
    const stopped = pool.setTargets({ Busy: 3 }, 1);
    expect(pool.counts()).toEqual({ Busy: 3 });
    expect(started).toEqual([1]);
    await stopped;
    await pool.setTargets({ Busy: 1 }, 1); // users 2 and 3 are stopped before their first turn
    await until(() => pool.userCount === 1, "two users gone");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toEqual([1]);
  });
});
