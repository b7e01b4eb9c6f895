// The report's "Final ratio" is Locust's own: the same numbers as its get_ratio, run by the real
// Locust in the venv, for weighted tasks, uneven classes and a class that ran no user.
import { describe, expect, test } from "bun:test";
import { type RatioClass, taskRatio } from "../../../src/standalone/report/task-ratio.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";

type Case = { classes: Array<{ name: string; tasks: Array<[string, number]> }>; spawned: Record<string, number> };

const cases: Case[] = [
  {
    classes: [
      {
        name: "Browser",
        tasks: [
          ["home", 3],
          ["search", 2],
          ["checkout", 1],
        ],
      },
      { name: "Api", tasks: [["items", 1]] },
    ],
    spawned: { Browser: 7, Api: 3 },
  },
  {
    classes: [
      {
        name: "A",
        tasks: [
          ["a1", 1],
          ["a2", 1],
          ["a3", 1],
        ],
      },
      { name: "Idle", tasks: [["never", 5]] },
    ],
    spawned: { A: 3, Idle: 0 },
  },
  {
    classes: [
      {
        name: "Nobody",
        tasks: [
          ["t", 2],
          ["u", 7],
        ],
      },
    ],
    spawned: {},
  }, // stopped before any user started
];

const classesOf = (c: Case): RatioClass[] =>
  c.classes.map((u) => ({ name: u.name, tasks: u.tasks.map(([name, weight]) => ({ name, weight })) }));

describe("the final ratio of user classes and tasks", () => {
  const locust = runLocustScript("locust_task_ratio.py", { cases }) as unknown[];

  test.each(cases.map((c, i) => [JSON.stringify(c.spawned), i] as const))("with users %p it is exactly Locust's get_ratio", (_, i) => {
    const c = cases[i] as Case;
    expect(taskRatio(classesOf(c), c.spawned)).toEqual(locust[i] as never);
  });

  test("a task's total share is its class's share times its share of the class's weights", () => {
    const ratio = taskRatio(classesOf(cases[0] as Case), { Browser: 7, Api: 3 });
    expect(ratio.per_class.Browser?.tasks.home?.ratio).toBe(0.5);
    expect(ratio.total.Browser?.ratio).toBe(0.7);
    expect(ratio.total.Browser?.tasks.home?.ratio).toBeCloseTo(0.35, 12);
    expect(ratio.total.Api?.tasks.items?.ratio).toBeCloseTo(0.3, 12);
  });
});
