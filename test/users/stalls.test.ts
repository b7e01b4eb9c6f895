import { describe, expect, test } from "bun:test";
import { pausedMessage, processCpuMs, stallMessage, watchStalls } from "../../src/users/stalls.ts";

const every = (ms: number, fn: () => void) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a task that computes without awaiting
  }
}

describe("watchStalls", () => {
  test("warns about a blocked event loop with how long and which tasks were in flight", async () => {
    const warnings: string[] = [];
    const stop = watchStalls({
      now: () => performance.now(),
      every,
      suspects: () => ({ inFlight: new Map([["fetch", 3]]), lastStarted: "crunch" }),
      warn: (m) => void warnings.push(m),
      checkMs: 20,
      stallMs: 150,
    });
    try {
      await new Promise((r) => setTimeout(r, 50));
      blockFor(400);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      stop();
    }
    expect(warnings).toHaveLength(1);
    const seconds = Number(/blocked for (\d+\.\d)s/.exec(warnings[0] ?? "")?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(0.3); // at least the block minus one check period
    expect(warnings[0]).toContain('; last task started: "crunch"; tasks in flight when it ended: "fetch" (3 users)');
  });

  test("sums stalls in a row into one line per period", async () => {
    const warnings: string[] = [];
    const stop = watchStalls({
      now: () => performance.now(),
      every,
      suspects: () => ({ inFlight: new Map() }),
      warn: (m) => void warnings.push(m),
      checkMs: 10,
      stallMs: 100,
      logEveryMs: 60_000,
    });
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 30));
        blockFor(200);
      }
      await new Promise((r) => setTimeout(r, 30));
    } finally {
      stop();
    }
    expect(warnings).toHaveLength(1); // the first; the next two wait for the period to end
  });
});

describe("watchStalls with the process's CPU time", () => {
  // A fake clock and CPU: the watch only compares the two across one late tick.
  function watched(cpuDuringStall: number): string[] {
    const warnings: string[] = [];
    let now = 0;
    let cpu = 0;
    let tick = () => {};
    const stop = watchStalls({
      now: () => now,
      cpuMs: () => cpu,
      every: (_ms, fn) => {
        tick = fn;
        return () => {};
      },
      suspects: () => ({ inFlight: new Map(), lastStarted: "get" }),
      warn: (m) => void warnings.push(m),
    });
    now += 500;
    cpu += 10;
    tick();
    now += 70_500; // 70 s late
    cpu += cpuDuringStall;
    tick();
    stop();
    return warnings;
  }

  test("a stall without CPU time is a paused or starved process, not a task", () => {
    const [warning, ...rest] = watched(3);
    expect(rest).toEqual([]);
    expect(warning).toStartWith("the process was paused or starved of CPU for 70.0s: it used 0.0s of CPU meanwhile");
    expect(warning).not.toContain('"get"');
    expect(warning).not.toContain("A task must not compute");
  });

  test("a stall that used the CPU names the task", () => {
    const [warning] = watched(69_000);
    expect(warning).toStartWith('the event loop was blocked for 70.0s; last task started: "get"');
  });

  test("processCpuMs moves while this process computes", () => {
    // On a busy machine 50 ms of wall time may bring little CPU: compute until it moved, or 5 s.
    const before = processCpuMs();
    const end = performance.now() + 5_000;
    while (processCpuMs() - before < 20 && performance.now() < end) blockFor(10);
    expect(processCpuMs() - before).toBeGreaterThanOrEqual(20);
  });
});

describe("pausedMessage", () => {
  test("says how long, how much CPU, and that the master marks the worker missing past 4 s", () => {
    expect(pausedMessage(1_200, 40)).not.toContain("missing");
    expect(pausedMessage(5_000, 0, 1)).toContain("for 5.0s (and 1 other stall since the last warning): it used 0.0s");
    expect(pausedMessage(5_000, 0)).toContain("marks a worker missing");
  });
});

describe("stallMessage", () => {
  test("names the busiest tasks, and says the master calls a worker missing past 4 s", () => {
    const short = stallMessage(1_500, {
      inFlight: new Map([
        ["a", 1],
        ["b", 7],
      ]),
    });
    expect(short).toStartWith('the event loop was blocked for 1.5s; tasks in flight when it ended: "b" (7 users), "a": ');
    expect(short).not.toContain("missing");
    expect(short).toContain("await ctx.sleep(0)");
    const long = stallMessage(5_000, { inFlight: new Map() }, 2);
    expect(long).toStartWith("the event loop was blocked for 5.0s (and 2 shorter stalls since the last warning)");
    expect(long).toContain("marks a worker missing after about 4 s");
  });
});
