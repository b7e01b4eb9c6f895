// `run` splits users as Locust's UsersDispatcher does when classes have a fixed_count: the fixed
// users first, then the rest by weight in Locust's order; checked step by step against Locust itself.
import { describe, expect, test } from "bun:test";
import { type WeightedClass, classTargets, plannedUsers } from "../../../src/standalone/load/spawn-plan.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";

type Case = { classes: Array<[string, number, number]>; users: number };

const cases: Case[] = [
  {
    classes: [
      ["A", 3, 0],
      ["B", 1, 0],
      ["F", 1, 2],
    ],
    users: 10,
  },
  {
    classes: [
      ["F", 1, 1],
      ["A", 1, 0],
    ],
    users: 1,
  },
  {
    classes: [
      ["F", 5, 2],
      ["G", 1, 3],
      ["A", 2, 0],
    ],
    users: 9,
  },
  {
    classes: [
      ["F", 1, 2],
      ["G", 1, 3],
    ],
    users: 8,
  }, // every class fixed: 5 users, not 8
  {
    classes: [
      ["A", 1, 0],
      ["F", 1, 4],
    ],
    users: 3,
  }, // fewer users than the fixed ones: all fixed
  {
    classes: [
      ["A", 2, 0],
      ["B", 1, 0],
    ],
    users: 6,
  }, // no fixed class: by weight only
  {
    classes: [
      ["A", 3, 0],
      ["B", 1, 0],
      ["F", 1, 1],
    ],
    users: 7,
  }, // Locust starts A, B, A, A, A, B after F: 4 and 2, not 5 and 1
  {
    classes: [
      ["A", 2, 0],
      ["B", 5, 0],
      ["C", 3, 0],
      ["D", 1, 0],
    ],
    users: 23,
  },
];

const classesOf = (c: Case): WeightedClass[] => c.classes.map(([name, weight, fixedCount]) => ({ name, weight, fixedCount }));
const fixedNames = (c: Case) => c.classes.filter(([, , fixed]) => fixed > 0).map(([name]) => name);

describe("classTargets with fixedCount", () => {
  const locust = runLocustScript("locust_dispatch_classes.py", { cases }) as Array<Array<Record<string, number>>>;

  test.each(cases.map((c, i) => [JSON.stringify(c), i] as const))("%s: Locust's counts at every step", (_, i) => {
    const c = cases[i] as Case;
    // Locust's last step repeats the one before when every class is fixed (it picked no class).
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((s, n) => s + n, 0);
    const steps = (locust[i] ?? []).filter((step, k, all) => k === 0 || total(step) > total(all[k - 1] ?? {}));
    const classes = classesOf(c);
    const fixed = fixedNames(c);
    const weighted = c.classes.map(([name]) => name).filter((n) => !fixed.includes(n));
    expect(steps.length).toBe(plannedUsers(classes, c.users));
    // Every class exactly, at every step (Locust's dict lists only the classes it started).
    steps.forEach((want, k) => {
      const ours = Object.fromEntries(Object.entries(classTargets(classes, k + 1)).filter(([, n]) => n > 0));
      expect(ours).toEqual(Object.fromEntries(Object.entries(want).filter(([, n]) => n > 0)));
    });
    // With every class fixed, asking for more users starts no more.
    if (weighted.length === 0) expect(classTargets(classes, c.users + 5)).toEqual(classTargets(classes, c.users));
  });

  test("under --processes the shares add up to one process's fixed counts", () => {
    const classes = classesOf(cases[2] as Case);
    for (const count of [2, 3]) {
      const shares = Array.from({ length: count }, (_, index) => classTargets(classes, 9, { index, count }));
      expect(shares.reduce((s, t) => s + (t.F ?? 0), 0)).toBe(2);
      expect(shares.reduce((s, t) => s + (t.G ?? 0), 0)).toBe(3);
      expect(shares.reduce((s, t) => s + (t.A ?? 0), 0)).toBe(4);
    }
  });
});
