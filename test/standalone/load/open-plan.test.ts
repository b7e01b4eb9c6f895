// How `run --arrival-rate` deals its users and its rate (open-plan.ts): a fixedCount class gets
// exactly its users, first; every class that shares the rate gets at least one user; and dealt
// over processes, each iteration of each schedule is run by exactly one process, one that holds a
// user of the class, in proportion to the users it holds.
import { describe, expect, test } from "bun:test";
import { LoadworkerError } from "../../../src/errors.ts";
import { fitArrival, openPlan } from "../../../src/standalone/load/open-plan.ts";
import type { WeightedClass } from "../../../src/standalone/load/spawn-plan.ts";

const cls = (name: string, weight: number, fixedCount = 0): WeightedClass => ({ name, weight, fixedCount });
const owns = (share: { slots: readonly number[]; cycle: number } | undefined, k: number) =>
  share?.slots.includes((k - 1) % share.cycle) === true;

describe("openPlan", () => {
  test("3:1 with 3 users over 2 processes: Buy's one user is in process 2, which runs all of Buy's iterations", () => {
    const classes = [cls("Browse", 3), cls("Buy", 1)];
    const first = openPlan(classes, 3, { index: 0, count: 2 });
    const second = openPlan(classes, 3, { index: 1, count: 2 });
    expect(first.rate).toEqual([
      { name: "Browse", fraction: 0.75, maxUsers: 2, share: { slots: [0, 1], cycle: 2 } },
      { name: "Buy", fraction: 0.25, maxUsers: 0, share: undefined },
    ]);
    expect(second.rate).toEqual([
      { name: "Browse", fraction: 0.75, maxUsers: 0, share: undefined },
      { name: "Buy", fraction: 0.25, maxUsers: 1, share: { slots: [0], cycle: 1 } },
    ]);
  });

  test("a fixedCount class gets exactly its users, first, and no share of the rate; the rest by weight, one each at least", () => {
    const plan = openPlan([cls("Admin", 1, 2), cls("Browse", 3), cls("Buy", 1)], 10);
    expect(plan.fixed).toEqual({ Admin: 2 });
    expect(plan.rate.map((c) => [c.name, c.fraction, c.maxUsers])).toEqual([
      ["Browse", 0.75, 6],
      ["Buy", 0.25, 2],
    ]);
    // A weight of 100:1 with 3 users still gives the light class its user.
    expect(openPlan([cls("Heavy", 100), cls("Light", 1)], 3).rate.map((c) => c.maxUsers)).toEqual([2, 1]);
  });

  test("over any number of processes each iteration has one process, holding users in proportion", () => {
    const classes = [cls("F", 1, 3), cls("A", 5), cls("B", 2), cls("C", 1)];
    for (const users of [6, 7, 13, 40]) {
      for (const count of [1, 2, 3, 4, 6]) {
        const plans = Array.from({ length: count }, (_, index) => openPlan(classes, users, { index, count }));
        expect(plans.reduce((s, p) => s + (p.fixed.F ?? 0), 0)).toBe(3);
        for (const name of ["A", "B", "C"]) {
          const shares = plans.map((p) => p.rate.find((c) => c.name === name));
          const total = shares.reduce((s, c) => s + (c?.maxUsers ?? 0), 0);
          expect(total).toBeGreaterThanOrEqual(1);
          for (let k = 1; k <= total * 3; k++) expect(shares.filter((c) => owns(c?.share, k))).toHaveLength(1);
          for (const c of shares) {
            const own = Array.from({ length: total * 3 }, (_, i) => i + 1).filter((k) => owns(c?.share, k)).length;
            expect(own).toBe((c?.maxUsers ?? 0) * 3); // its users' part of the iterations
          }
        }
        expect(plans.reduce((s, p) => s + p.rate.reduce((t, c) => t + c.maxUsers, 0) + (p.fixed.F ?? 0), 0)).toBe(users);
      }
    }
  });
});

describe("fitArrival", () => {
  const arrival = { rate: 20, stages: [], maxUsers: 20 };
  const usage = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(LoadworkerError);
      expect((error as LoadworkerError).code).toBe("E_USAGE");
      return (error as Error).message;
    }
    throw new Error("no usage error");
  };

  test("--max-users by default: the fixed users and the peak rate's worth, one per rate class at least", () => {
    expect(fitArrival(arrival, [cls("Admin", 1, 2), cls("Shop", 1)]).maxUsers).toBe(22);
    expect(fitArrival({ ...arrival, rate: 0.5, maxUsers: 1 }, [cls("A", 1), cls("B", 1), cls("C", 1)]).maxUsers).toBe(3);
    expect(fitArrival({ ...arrival, maxUsers: 7, maxUsersFlag: "--max-users" }, [cls("A", 1)]).maxUsers).toBe(7);
  });

  test("every class fixed, or too few users for the fixed ones and one per rate class: one message naming the classes and the flag", () => {
    expect(usage(() => fitArrival(arrival, [cls("Admin", 1, 2), cls("Poll", 1, 1)]))).toBe(
      "--arrival-rate: every user class has a fixedCount (Admin: 2, Poll: 1), so none takes a share of the rate; remove fixedCount from a class to run it on the schedule, or run the closed model with -u",
    );
    const few = { ...arrival, maxUsers: 2, maxUsersFlag: "--max-users" };
    expect(usage(() => fitArrival(few, [cls("Admin", 1, 2), cls("Shop", 1)]))).toBe(
      "--max-users 2 is too few for --arrival-rate: the fixedCount classes take 2 (Admin: 2) and each class that shares the rate (Shop) needs a user; give --max-users 3 or more",
    );
    expect(
      usage(() =>
        fitArrival({ ...few, maxUsersFlag: "-u/--users", stages: [{ seconds: 5, rate: 9 }] }, [cls("A", 1), cls("B", 1), cls("C", 2)]),
      ),
    ).toContain("-u/--users 2 is too few for --stages: each class that shares the rate (A, B, C) needs a user; give -u/--users 3 or more");
  });
});
