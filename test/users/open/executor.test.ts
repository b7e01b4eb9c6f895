import { describe, expect, test } from "bun:test";
import { type ArrivalTimers, startArrivals } from "../../../src/users/open/executor.ts";
import { Iterations } from "../../../src/users/open/iterations.ts";
import { constantRate, rampingRate } from "../../../src/users/open/schedule.ts";

/** A clock moved by hand, with the one pending timer the executor arms. */
function handTimers() {
  let now = 1_000;
  let pending: { at: number; fn: () => void } | undefined;
  const timers: ArrivalTimers = {
    now: () => now,
    after(ms, fn) {
      const timer = { at: now + ms, fn };
      pending = timer;
      return () => {
        if (pending === timer) pending = undefined;
      };
    },
  };
  return {
    timers,
    /** Moves the clock to `to`, firing the timer when it comes due (late, if the step is coarse). */
    advance(to: number) {
      while (pending && pending.at <= to) {
        const timer = pending;
        pending = undefined;
        now = Math.max(now, timer.at);
        timer.fn();
      }
      now = to;
    },
  };
}

describe("startArrivals", () => {
  test("hands out each iteration with its scheduled time, late wake-ups included", () => {
    const clock = handTimers();
    const due: number[] = [];
    startArrivals({ schedule: constantRate(10), timers: clock.timers, fire: (ms) => due.push(ms) });
    clock.advance(1_350);
    expect(due).toEqual([1_100, 1_200, 1_300]);
    // A paused process: nothing for 2 s, then every iteration due meanwhile, each with its own time.
    const paused = handTimers();
    const late: number[] = [];
    startArrivals({ schedule: constantRate(10), timers: paused.timers, fire: (ms) => late.push(ms) });
    paused.timers.now = () => 3_000;
    paused.advance(3_000);
    expect(late).toHaveLength(20);
    expect(late[0]).toBe(1_100);
    expect(late[19]).toBe(3_000);
  });

  test("a process's share of one slot in `count` takes k ≡ index + 1 (mod count): the shares together are the whole schedule", () => {
    const all: number[] = [];
    for (let index = 0; index < 3; index++) {
      const c = handTimers();
      const own: number[] = [];
      startArrivals({ schedule: constantRate(30), timers: c.timers, fire: (ms) => own.push(ms), share: { slots: [index], cycle: 3 } });
      c.advance(3_000);
      expect(own).toHaveLength(20);
      all.push(...own);
    }
    const micros = (ms: number) => Math.round(ms * 1_000);
    expect(all.sort((a, b) => a - b).map(micros)).toEqual(Array.from({ length: 60 }, (_, i) => micros(1_000 + ((i + 1) / 30) * 1_000)));
  });

  test("shares of several slots run their users' part: slots 0 and 2 of 3 take two thirds, slot 1 the rest", () => {
    const run = (slots: number[]) => {
      const c = handTimers();
      const own: number[] = [];
      const arrivals = startArrivals({
        schedule: constantRate(30),
        timers: c.timers,
        fire: (ms) => own.push(ms),
        share: { slots, cycle: 3 },
      });
      c.advance(2_000);
      expect(arrivals.fired).toBe(own.length);
      return own.map((ms) => Math.round(((ms - 1_000) * 30) / 1_000)); // back to k
    };
    expect(run([0, 2])).toEqual([1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22, 24, 25, 27, 28, 30]);
    expect(run([1])).toEqual([2, 5, 8, 11, 14, 17, 20, 23, 26, 29]);
    expect(run([])).toEqual([]); // a process without a user of the class runs none of its iterations
  });

  test("ends after the last stage; a rebase starts the new rate from now", () => {
    const clock = handTimers();
    let ended = false;
    const due: number[] = [];
    startArrivals({
      schedule: rampingRate(4, [{ seconds: 1, rate: 4 }]),
      timers: clock.timers,
      fire: (ms) => due.push(ms),
      onEnd: () => (ended = true),
    });
    clock.advance(5_000);
    expect(due).toEqual([1_250, 1_500, 1_750, 2_000]);
    expect(ended).toBe(true);

    const again = handTimers();
    const out: number[] = [];
    const arrivals = startArrivals({ schedule: constantRate(1), timers: again.timers, fire: (ms) => out.push(ms) });
    again.advance(1_500);
    arrivals.rebase(constantRate(10));
    again.advance(1_800);
    arrivals.stop();
    again.advance(9_000);
    expect(out).toEqual([1_600, 1_700, 1_800]); // rate 1 had nothing due by 1.5 s
    expect(arrivals.fired).toBe(3);
  });
});

describe("Iterations", () => {
  const signal = () => new AbortController();

  test("a free user gets the iteration; none free and no room to grow: dropped", async () => {
    let dropped = 0;
    const it = new Iterations({ now: () => 0, onDropped: () => dropped++, onLate: () => {} });
    const user = signal();
    const taken = it.take(user.signal);
    it.offer(10);
    expect(await taken).toBe(10);
    it.offer(20);
    expect(dropped).toBe(1);
  });

  test("an iteration waits for a user in its onStart, or one grown for it; then it is late", async () => {
    const late: number[] = [];
    let grown = 0;
    let now = 0;
    const it = new Iterations({ now: () => now, grow: () => grown++ < 1, onDropped: () => {}, onLate: (ms) => late.push(ms) });
    it.expect(); // a user starting
    it.offer(0); // waits for it
    it.offer(5); // grows one more (its expect comes from the pool)
    it.expect();
    expect(it.waiting).toBe(2);
    now = 250;
    it.arrived();
    const due = await it.take(signal().signal);
    expect(due).toBe(0);
    expect(it.begin(due ?? 0)).toBe(250);
    expect(it.begin(200)).toBe(50);
    expect(late).toEqual([250]); // 50 ms is below LATE_AFTER_MS
  });

  test("forget() drops the iterations kept for users in their onStart: a next test does not start them", async () => {
    const it = new Iterations({ now: () => 0, onDropped: () => {}, onLate: () => {} });
    it.expect();
    it.offer(1);
    expect(it.waiting).toBe(1);
    it.forget();
    expect(it.waiting).toBe(0);
  });

  test("a stop frees a waiting user with undefined and forgets it", async () => {
    let dropped = 0;
    const it = new Iterations({ now: () => 0, onDropped: () => dropped++, onLate: () => {} });
    const user = signal();
    const taken = it.take(user.signal);
    expect(it.free).toBe(1);
    user.abort();
    expect(await taken).toBeUndefined();
    expect(it.free).toBe(0);
    it.offer(1);
    expect(dropped).toBe(1);
  });
});
