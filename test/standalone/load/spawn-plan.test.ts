import { describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../../src/api/plan.ts";
import { defineTask, defineUser } from "../../../src/index.ts";
import { parseRunFlags } from "../../../src/standalone/options/run-options.ts";
import { filterByTags, selectClasses } from "../../../src/standalone/load/select.ts";
import { classTargets, rampSeconds, spawnStep, usersAt, usersInShare } from "../../../src/standalone/load/spawn-plan.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";
import { tagFilterFrom } from "../../../src/users/classes.ts";

describe("usersAt", () => {
  test("steps as Locust does: floor(rate) users at once, the next step floor(rate)/rate seconds later", () => {
    expect([0, 0.99, 1, 2, 4, 100].map((t) => usersAt(t, 10, 2))).toEqual([2, 2, 4, 6, 10, 10]);
    expect([0, 1.99, 2, 3].map((t) => usersAt(t, 3, 0.5))).toEqual([1, 1, 2, 2]);
    expect(usersAt(0, 3, 3)).toBe(3); // -u 3 -r 3: one step
    expect(usersAt(1, 3, 1 / 3)).toBe(1);
    expect(usersAt(3, 3, 1 / 3)).toBe(2); // 3 × (1/3) is not quite 1 in floating point
    expect(rampSeconds(10, 2)).toBe(4);
    expect(rampSeconds(10, 2.5)).toBe(3.2);
  });

  test("gives the totals of Locust's own UsersDispatcher at each of its steps", () => {
    const cases: Array<[number, number]> = [
      [3, 3],
      [3, 1],
      [10, 2.5],
      [5, 0.5],
      [7, 100],
      [9, 1.5],
      [4, 0.3],
      [25, 7],
    ];
    const locust = runLocustScript("locust_dispatch.py", { cases }) as Array<{ totals: number[]; wait: number }>;
    cases.forEach(([users, rate], i) => {
      const { totals, wait } = locust[i] as { totals: number[]; wait: number };
      expect(spawnStep(rate).seconds).toBeCloseTo(wait, 9);
      expect(totals.map((_, k) => usersAt(k * wait, users, rate))).toEqual(totals);
      expect(rampSeconds(users, rate)).toBeCloseTo((totals.length - 1) * wait, 9);
    });
  });
});

describe("classTargets", () => {
  const classes = [
    { name: "A", weight: 3 },
    { name: "B", weight: 1 },
  ];

  test("splits by weight at every step, never moving a user to another class as the total grows", () => {
    const steps = Array.from({ length: 9 }, (_, n) => classTargets(classes, n));
    expect(steps.map((t) => `${t.A}:${t.B}`)).toEqual(["0:0", "1:0", "1:1", "2:1", "3:1", "4:1", "4:2", "5:2", "6:2"]);
    for (let n = 1; n < steps.length; n++) {
      expect(steps[n]?.A).toBeGreaterThanOrEqual(steps[n - 1]?.A ?? 0);
      expect(steps[n]?.B).toBeGreaterThanOrEqual(steps[n - 1]?.B ?? 0);
    }
  });

  test("matches the weights exactly when the total is a multiple of their sum", () => {
    expect(
      classTargets(
        [
          { name: "A", weight: 2 },
          { name: "B", weight: 5 },
          { name: "C", weight: 3 },
        ],
        100,
      ),
    ).toEqual({ A: 20, B: 50, C: 30 });
  });

  test("under --processes, the shares add up to one process's targets at every step of the ramp", () => {
    for (const count of [2, 3, 5]) {
      for (let total = 0; total <= 23; total++) {
        const shares = Array.from({ length: count }, (_, index) => classTargets(classes, total, { index, count }));
        expect({ A: shares.reduce((s, t) => s + (t.A ?? 0), 0), B: shares.reduce((s, t) => s + (t.B ?? 0), 0) }).toEqual(
          classTargets(classes, total) as { A: number; B: number },
        );
        for (const [index, t] of shares.entries()) expect((t.A ?? 0) + (t.B ?? 0)).toBe(usersInShare(total, { index, count }));
      }
    }
  });

  test("deals users round robin: 10 users over 3 processes are 4, 3 and 3", () => {
    expect([0, 1, 2].map((index) => usersInShare(10, { index, count: 3 }))).toEqual([4, 3, 3]);
    expect([0, 1, 2].map((index) => usersInShare(2, { index, count: 3 }))).toEqual([1, 1, 0]);
  });
});

describe("filterByTags", () => {
  const a = defineUser({
    name: "A",
    tasks: [
      { name: "a1", tags: ["x"], fn: () => {} },
      { name: "a2", fn: () => {} },
    ],
  });
  const b = defineUser({ name: "B", tasks: [{ name: "b1", tags: ["y", "x"], fn: () => {} }] });
  const classes = [a, b];
  const names = (s: ReturnType<typeof filterByTags>) =>
    s.ok ? [s.classes.map((c) => `${c.name}:${c.tasks.map((t) => t.name).join(",")}`), s.dropped] : s.error;

  test("without tags keeps every class as it is", () => {
    expect(names(filterByTags(classes, tagFilterFrom({})))).toEqual([["A:a1,a2", "B:b1"], []]);
  });

  test("--tags keeps the tasks with one of the tags; a class left without tasks is dropped", () => {
    expect(names(filterByTags(classes, tagFilterFrom({ tags: ["y"] })))).toEqual([["B:b1"], ["A"]]);
    expect(names(filterByTags(classes, tagFilterFrom({ tags: ["x"] })))).toEqual([["A:a1", "B:b1"], []]);
  });

  test("--exclude-tags drops the tasks with any of the tags and keeps untagged ones (Locust's rule)", () => {
    expect(names(filterByTags(classes, tagFilterFrom({ exclude_tags: ["x"] })))).toEqual([["A:a2"], ["B"]]);
  });

  test("nothing left is an error that names the tags the tasks have", () => {
    expect(names(filterByTags(classes, tagFilterFrom({ tags: ["z"] })))).toBe(
      "no task is left to run after --tags z; the selected tasks' tags: x, y",
    );
  });
});

describe("selectClasses", () => {
  const shared = defineTask({ name: "ping", fn: () => {} });
  const a = defineUser({
    name: "A",
    tasks: [
      { name: "a1", fn: () => {} },
      { name: "a2", fn: () => {} },
    ],
  });
  const b = defineUser({ name: "B", weight: 2, tasks: [{ name: "b1", fn: () => {} }] });
  const plan = buildPlan(collectDefinitions([shared, a, b]));

  test("takes every class by default, standalone tasks in DefaultUser included", () => {
    const s = selectClasses(plan, []);
    expect(s.ok && s.classes.map((c) => c.name)).toEqual(["DefaultUser", "A", "B"]);
  });

  test("takes a named class whole, and a named task in its class with only the named tasks", () => {
    const s = selectClasses(plan, ["B", "a2", "ping"]);
    expect(s.ok && s.classes.map((c) => [c.name, c.weight, c.tasks.map((t) => t.name)])).toEqual([
      ["DefaultUser", 1, ["ping"]],
      ["A", 1, ["a2"]],
      ["B", 2, ["b1"]],
    ]);
  });

  test("names what does not exist and lists what does", () => {
    const s = selectClasses(plan, ["Nope"]);
    expect(s.ok ? "" : s.error).toBe('no user class or task named "Nope"; user classes: DefaultUser, A, B; tasks: ping, a1, a2, b1');
  });
});

describe("parseRunFlags", () => {
  const flags = { thresholds: [], abortOnFail: false, names: [] };

  test("has Locust's defaults: 1 user at 1/s, no run time (until Ctrl-C), stop timeout 0", () => {
    expect(parseRunFlags(flags)).toMatchObject({
      users: 1,
      spawnRate: 1,
      runTime: null,
      stopTimeout: 0,
      exitCodeOnError: 0,
      host: undefined,
    });
  });

  test("reads tags as Locust does: a list, commas split too, an empty list is no list", () => {
    expect(parseRunFlags({ ...flags, tags: ["a,b", "c", "a"], excludeTags: [] })).toMatchObject({
      tags: ["a", "b", "c"],
      excludeTags: null,
    });
    expect(parseRunFlags(flags)).toMatchObject({ tags: null, excludeTags: null });
  });

  test("reads Locust's time spans and fractional spawn rates", () => {
    expect(parseRunFlags({ ...flags, runTime: "1h30m", stopTimeout: "10s", spawnRate: "0.5", users: "20" })).toMatchObject({
      runTime: 5400,
      stopTimeout: 10,
      spawnRate: 0.5,
      users: 20,
    });
  });

  test.each([
    [{ users: "0" }, '-u/--users must be a whole number 1 or more, got "0"'],
    [{ users: "2.5" }, '-u/--users must be a whole number 1 or more, got "2.5"'],
    [{ spawnRate: "-1" }, "-r/--spawn-rate must be a number of users per second above 0"],
    [{ runTime: "0" }, '-t/--run-time must be at least 1s, got "0"'],
    [{ runTime: "5x" }, "-t/--run-time must be a time span such as 20, 20s, 3m, 2h, 1h20m, 3h30m10s"],
    [{ host: "ftp://x" }, "--host must be an http:// or https:// URL"],
    [{ json: " " }, "--json needs a file name such as report.json"],
  ])("rejects %p", (bad, message) => {
    expect(() => parseRunFlags({ ...flags, ...bad })).toThrow(message);
  });

  test("keeps a --host password for the requests and masks it in what is shown, errors included", () => {
    expect(parseRunFlags({ ...flags, host: "http://u:secret@127.0.0.1:8099/" })).toMatchObject({
      host: "http://u:secret@127.0.0.1:8099",
      shownHost: "http://***@127.0.0.1:8099",
    });
    for (const [host, shown] of [
      ["ftp://u:secret@x", "ftp://***@x"],
      ["u:secret@127.0.0.1", "u:***@127.0.0.1"],
      ["http://u:secret@[bad", "http://***@[bad"],
    ]) {
      expect(() => parseRunFlags({ ...flags, host })).toThrow(`got "${shown}"`);
    }
  });
});
