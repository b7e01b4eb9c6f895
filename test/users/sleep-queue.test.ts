import { describe, expect, test } from "bun:test";
import { SleepQueue, type TimerHost } from "../../src/users/sleep-queue.ts";
import { isAbortError } from "../../src/users/sleep.ts";
import { FakeClock } from "../support/fake-clock.ts";

/** Timers the test fires by hand: at most one is armed at a time, as the queue promises. */
class HandTimers implements TimerHost {
  armed: { fn: () => void; ms: number; id: number }[] = [];
  sets = 0;
  private nextId = 1;
  set(fn: () => void, ms: number): unknown {
    this.sets++;
    const id = this.nextId++;
    this.armed.push({ fn, ms, id });
    return id;
  }
  clear(handle: unknown): void {
    this.armed = this.armed.filter((t) => t.id !== handle);
  }
  /** Fires the armed timer (there must be exactly one). */
  fire(): void {
    expect(this.armed.length).toBe(1);
    const [timer] = this.armed.splice(0);
    timer?.fn();
  }
}

function setup() {
  const clock = new FakeClock(1000);
  const timers = new HandTimers();
  const queue = new SleepQueue(clock, timers);
  const woke: string[] = [];
  const sleep = (name: string, ms: number, signal?: AbortSignal) =>
    queue.sleep(ms, signal).then(
      () => void woke.push(name),
      (error) => void woke.push(`${name}:${isAbortError(error) ? "stopped" : String(error)}`),
    );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { clock, timers, queue, woke, sleep, settle };
}

describe("the sleep queue (one timer for every sleeping user)", () => {
  test("wakes sleepers in deadline order, whatever the order they fell asleep in, with one timer armed", async () => {
    const { clock, timers, woke, sleep, settle } = setup();
    void sleep("c", 3000);
    void sleep("a", 1000);
    void sleep("b", 2000);
    expect(timers.armed.map((t) => t.ms)).toEqual([1000]); // re-armed for the earlier deadline
    clock.advance(1);
    timers.fire();
    await settle();
    expect(woke).toEqual(["a"]);
    expect(timers.armed.map((t) => t.ms)).toEqual([1000]);
    clock.advance(2);
    timers.fire(); // both b and c are due by now: one wake-up serves them, in deadline order
    await settle();
    expect(woke).toEqual(["a", "b", "c"]);
    expect(timers.armed).toEqual([]);
  });

  test("wakes equal deadlines in the order they were asked for", async () => {
    const { clock, timers, queue, woke, sleep, settle } = setup();
    for (const name of ["first", "second", "third", "fourth"]) void sleep(name, 500);
    expect(queue.size).toBe(4);
    clock.advance(0.5);
    timers.fire();
    await settle();
    expect(woke).toEqual(["first", "second", "third", "fourth"]);
    expect(queue.size).toBe(0);
  });

  test("a timer that fires before the deadline wakes nobody and re-arms for what is left", async () => {
    const { clock, timers, woke, sleep, settle } = setup();
    void sleep("a", 1000);
    clock.advance(0.9996);
    timers.fire();
    await settle();
    expect(woke).toEqual([]);
    expect(timers.armed.map((t) => t.ms)).toEqual([1]);
    clock.advance(0.001);
    timers.fire();
    await settle();
    expect(woke).toEqual(["a"]);
  });

  test("an abort stops that sleeper at once and leaves the others asleep", async () => {
    const { clock, timers, queue, woke, sleep, settle } = setup();
    const stop = new AbortController();
    void sleep("stopped", 1000, stop.signal);
    void sleep("kept", 2000);
    stop.abort();
    await settle();
    expect(woke).toEqual(["stopped:stopped"]);
    expect(queue.size).toBe(1);
    clock.advance(2);
    timers.fire();
    await settle();
    expect(woke).toEqual(["stopped:stopped", "kept"]);
  });

  test("cancelling the last sleeper clears the timer; a signal aborted already rejects without sleeping", async () => {
    const { timers, queue, woke, sleep, settle } = setup();
    const stop = new AbortController();
    void sleep("only", 60_000, stop.signal);
    expect(timers.armed.length).toBe(1);
    stop.abort();
    await settle();
    expect(timers.armed).toEqual([]);
    void sleep("late", 10, stop.signal);
    await settle();
    expect(woke).toEqual(["only:stopped", "late:stopped"]);
    expect(queue.size).toBe(0);
    expect(timers.sets).toBe(1);
  });

  test("a sleeper woken normally no longer listens to its signal", async () => {
    const { clock, timers, woke, sleep, settle } = setup();
    const stop = new AbortController();
    void sleep("a", 10, stop.signal);
    clock.advance(0.01);
    timers.fire();
    await settle();
    stop.abort(); // after the wake-up: nothing more happens
    await settle();
    expect(woke).toEqual(["a"]);
  });

  test("keeps many sleepers in order through cancels in the middle of the heap", async () => {
    const { clock, timers, woke, sleep, settle } = setup();
    const stops = new Map<number, AbortController>();
    // Deadlines in a scrambled order; every third one is cancelled.
    const deadlines = Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) * 10 + 10);
    for (const ms of deadlines) {
      const stop = new AbortController();
      stops.set(ms, stop);
      void sleep(String(ms), ms, stop.signal);
    }
    for (const ms of deadlines) if (ms % 30 === 0) stops.get(ms)?.abort();
    await settle();
    woke.length = 0;
    clock.advance(10);
    timers.fire();
    await settle();
    const expected = [...deadlines]
      .sort((a, b) => a - b)
      .filter((ms) => ms % 30 !== 0)
      .map(String);
    expect(woke).toEqual(expected);
  });

  test("sleeps on real timers by default", async () => {
    const queue = new SleepQueue();
    const order: number[] = [];
    await Promise.all([30, 5, 15].map((ms) => queue.sleep(ms).then(() => order.push(ms))));
    expect(order).toEqual([5, 15, 30]);
  });
});
