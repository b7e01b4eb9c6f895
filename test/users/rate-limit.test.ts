import { describe, expect, test } from "bun:test";
import { createRateLimiter, parseIncreaseRate, rateLimiterFor, type Timers } from "../../src/users/rate-limit.ts";

const flush = () => new Promise<void>((r) => setImmediate(r));

/** A clock and timers the test moves by hand: timers fire in due order as time advances. */
function manualTime() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    set: (fn, ms) => (pending.set(++seq, { at: now + ms, fn }), seq),
    clear: (h) => void pending.delete(h as number),
  };
  const clock = { now: () => now, epoch: () => now / 1000 };
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
      await flush();
    }
    now = end;
    await flush();
  };
  return { clock, timers, advance, pending };
}

/** Runs `users` loops that each take a token and count, for `ms` of manual time. */
async function saturate(
  limiter: ReturnType<typeof createRateLimiter>,
  t: ReturnType<typeof manualTime>,
  users: number,
  ms: number,
  stepMs = 10,
) {
  const controller = new AbortController();
  let count = 0;
  const loops = Array.from({ length: users }, async () => {
    for (;;) {
      const got = limiter.acquire(controller.signal);
      if (got !== true) {
        try {
          await got;
        } catch {
          return;
        }
      }
      count++;
      await Promise.resolve(); // a task that takes no time
      if (controller.signal.aborted) return;
    }
  });
  // Up to just before the end: the period that starts at `ms` belongs to the next window.
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) await t.advance(Math.min(stepMs, ms - 1 - elapsed));
  const counted = count;
  controller.abort();
  await Promise.all(loops);
  await t.advance(1);
  return counted;
}

describe("the stable limiter (--max-rps)", () => {
  test.each([1, 5, 100, 1_000, 20_000])("lets exactly %d task executions per second through to many users", async (rps) => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: rps, clock: t.clock, timers: t.timers });
    const count = await saturate(limiter, t, 50, 10_000);
    expect(count).toBe(rps * 10);
  });

  test("periods start on wall-clock multiples of the period, so every epoch second gets exactly its tokens", async () => {
    const t = manualTime();
    const epochOffsetMs = 1_795_592_059_437; // the wall clock is 37 ms into a period when the limiter starts
    const clock = { now: t.clock.now, epoch: () => (epochOffsetMs + t.clock.now()) / 1000 };
    const limiter = createRateLimiter({ maxRps: 100, clock, timers: t.timers });
    const signal = new AbortController().signal;
    let first = 0;
    while (limiter.acquire(signal) === true) first++;
    expect(first).toBe(10);
    const waiting = limiter.acquire(signal) as Promise<void>;
    await t.advance(62); // 37 + 62 = 99 ms: still the same period
    let woke = false;
    void waiting.then(() => (woke = true));
    await t.advance(0);
    expect(woke).toBe(false);
    await t.advance(1); // the wall-clock boundary
    expect(woke).toBe(true);
  });

  test("a free token is taken at once, without a promise", () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 100, clock: t.clock, timers: t.timers });
    expect(limiter.acquire(new AbortController().signal)).toBe(true);
  });

  test("unused tokens are lost: an idle second does not allow a burst", async () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 10, clock: t.clock, timers: t.timers });
    await t.advance(5_000);
    const signal = new AbortController().signal;
    let free = 0;
    while (limiter.acquire(signal) === true) free++;
    expect(free).toBe(1); // one 100 ms period's worth at 10/s
  });

  test("waiters get tokens in arrival order", async () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 10, clock: t.clock, timers: t.timers });
    const signal = new AbortController().signal;
    expect(limiter.acquire(signal)).toBe(true);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => (limiter.acquire(signal) as Promise<void>).then(() => order.push(n)));
    await t.advance(300);
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3]);
  });

  test("a waiting user wakes at once when its signal aborts, and leaves no timer behind", async () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 10, clock: t.clock, timers: t.timers });
    const stop = new AbortController();
    expect(limiter.acquire(stop.signal)).toBe(true);
    const waiting = limiter.acquire(stop.signal) as Promise<void>;
    stop.abort();
    const error = await waiting.catch((e: Error) => e);
    expect((error as Error).name).toBe("AbortError");
    await t.advance(2_000); // the timer finds nobody waiting and does not re-arm
    expect(t.pending.size).toBe(0);
  });

  test("close rejects every waiter", async () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 10, clock: t.clock, timers: t.timers });
    const signal = new AbortController().signal;
    expect(limiter.acquire(signal)).toBe(true);
    const waiting = limiter.acquire(signal) as Promise<void>;
    limiter.close();
    expect(((await waiting.catch((e) => e)) as Error).name).toBe("AbortError");
    expect(t.pending.size).toBe(0);
  });
});

describe("the ramp-up limiter (--request-increase-rate)", () => {
  test("adds the step every period up to --max-rps, as boomer does", async () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: 30, increase: { step: 10, everyMs: 1_000 }, clock: t.clock, timers: t.timers });
    const perSecond: number[] = [];
    let total = 0;
    for (let s = 0; s < 5; s++) {
      const count = await saturate(limiter, t, 5, 1_000);
      perSecond.push(count);
      total += count;
    }
    expect(perSecond).toEqual([10, 20, 30, 30, 30]);
    expect(total).toBe(120);
  });

  test("without --max-rps it ramps without a cap", () => {
    const t = manualTime();
    const limiter = createRateLimiter({ maxRps: Infinity, increase: { step: 5, everyMs: 500 }, clock: t.clock, timers: t.timers });
    expect(limiter.currentRps()).toBe(5);
    t.clock.now = () => 10_000;
    expect(limiter.currentRps()).toBe(105);
  });
});

describe("parseIncreaseRate", () => {
  test.each([
    ["10", { step: 10, everyMs: 1_000 }],
    ["10/1s", { step: 10, everyMs: 1_000 }],
    ["10/500ms", { step: 10, everyMs: 500 }],
    ["3/2m", { step: 3, everyMs: 120_000 }],
  ])("reads %s", (text, want) => {
    expect(parseIncreaseRate(text)).toEqual(want);
  });

  test.each(["fast", "", "-5", "0", "1.5", "10/", "10/0ms", "10/1d", "1/2/3"])("refuses %p with a message that shows the form", (text) => {
    const result = parseIncreaseRate(text);
    expect("error" in result && result.error).toContain('"10/500ms"');
  });
});

describe("rateLimiterFor (--processes: one limiter per process)", () => {
  test("no limits, no limiter (nothing on the hot path)", () => {
    expect(rateLimiterFor(undefined, { now: () => 0, epoch: () => 0 })).toBeUndefined();
  });

  test("several processes on one machine split the cap and the step", () => {
    const limiter = rateLimiterFor({ maxRps: 1000, increase: { step: 100, everyMs: 1000 } }, { now: () => 0, epoch: () => 0 }, 4);
    expect(limiter?.currentRps()).toBe(25); // the first step, a quarter of 100
    limiter?.close();
  });
});
