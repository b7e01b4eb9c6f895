import { describe, expect, test } from "bun:test";
import { defineUser } from "../../../src/index.ts";
import type { ArrivalTimers } from "../../../src/users/open/executor.ts";
import { ClassArrivals } from "../../../src/users/open/open-classes.ts";

const open = defineUser({ name: "Open", arrivalRate: 5, tasks: [{ name: "t", fn: () => {} }] });
const closed = defineUser({ name: "Closed", tasks: [{ name: "t", fn: () => {} }] });

function setup() {
  let now = 0;
  let pending: { at: number; fn: () => void } | undefined;
  const timers: ArrivalTimers = {
    now: () => now,
    after: (ms, fn) => {
      const timer = { at: now + ms, fn };
      pending = timer;
      return () => {
        if (pending === timer) pending = undefined;
      };
    },
  };
  const missed: string[] = [];
  const classes = new ClassArrivals(
    { dropped: (c) => void missed.push(`dropped ${c}`), late: (c) => void missed.push(`late ${c}`) },
    timers,
  );
  const advance = (to: number) => {
    while (pending && pending.at <= to) {
      const timer = pending;
      pending = undefined;
      now = timer.at;
      timer.fn();
    }
    now = to;
  };
  return { classes, missed, advance };
}

describe("ClassArrivals (arrivalRate under a master)", () => {
  test("a class without arrivalRate is closed", () => {
    expect(setup().classes.iterationsFor("Closed", closed)).toBeUndefined();
  });

  test("users × arrivalRate iterations a second, each dropped when no user is free; none after the users are gone", () => {
    const { classes, missed, advance } = setup();
    const iterations = classes.iterationsFor("Open", open);
    expect(iterations).toBeDefined();
    classes.resized("Open", 2); // 10 a second
    advance(1_000);
    expect(missed).toEqual(Array(10).fill("dropped Open")); // no user ever took one
    classes.resized("Open", 4); // 20 a second from now
    advance(1_500);
    expect(missed).toHaveLength(20);
    classes.resized("Open", 0);
    advance(10_000);
    expect(missed).toHaveLength(20);
  });
});
