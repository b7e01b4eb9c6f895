import { describe, expect, test } from "bun:test";
import { stallMessage, watchStalls } from "../../src/users/stalls.ts";

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
