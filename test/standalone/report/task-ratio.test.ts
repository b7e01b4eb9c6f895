// The task ratios are Locust's own: the report's "Final ratio" is its get_ratio, and what
// `run --show-task-ratio` / `--show-task-ratio-json` print is what its flags print, byte for byte,
// checked against the real Locust in the venv (weighted tasks, uneven and fixed-count classes, a
// class that ran no user, CJK names, a -u that rounds half to even, no -u at all).
import { describe, expect, test } from "bun:test";
import { plannedSpawn, taskRatio } from "../../../src/standalone/report/task-ratio.ts";
import { taskRatioJson, taskRatioText } from "../../../src/standalone/report/task-ratio-text.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";

type Class = { name: string; weight?: number; fixed_count?: number; tasks: Array<[string, number]> };
type Case = { classes: Class[]; spawned: Record<string, number>; num_users: number | null };
type Locust = { per_class: unknown; total: unknown; planned: Record<string, number>; text: string; json: string };

const cases: Case[] = [
  {
    classes: [
      {
        name: "Browser",
        weight: 3,
        tasks: [
          ["home", 3],
          ["search", 2],
          ["checkout", 1],
        ],
      },
      { name: "Api", weight: 1, tasks: [["items", 1]] },
    ],
    spawned: { Browser: 7, Api: 3 },
    num_users: 10,
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
    num_users: 5, // 2.5 each: Python's round() gives 2 and 2
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
    num_users: null,
  }, // stopped before any user started; no -u
  {
    classes: [
      {
        name: "压测MockApi",
        weight: 2,
        tasks: [
          ["压测HttpBin", 1],
          ["😀 emoji", 3],
        ],
      },
      { name: "Admin", fixed_count: 1, tasks: [["audit", 1]] },
    ],
    spawned: { 压测MockApi: 6, Admin: 1 },
    num_users: 7,
  },
  {
    classes: [
      { name: "Fixed", fixed_count: 2, tasks: [["f", 1]] },
      { name: "W", weight: 4, tasks: [["w", 1]] },
    ],
    spawned: {},
    num_users: null,
  },
];

const classesOf = (c: Case) =>
  c.classes.map((u) => ({
    name: u.name,
    weight: u.weight ?? 1,
    fixedCount: u.fixed_count ?? 0,
    tasks: u.tasks.map(([name, weight]) => ({ name, weight })),
  }));
const rows = cases.map((c, i) => [JSON.stringify(c.spawned), c.num_users, i] as const);

describe("task ratios, as Locust computes and prints them", () => {
  const locust = runLocustScript("locust_task_ratio.py", { cases }) as Locust[];
  const expected = (i: number) => locust[i] as Locust;

  test.each(rows)("with users %s running, the final ratio is exactly Locust's get_ratio", (_, __, i) => {
    const c = cases[i] as Case;
    const { per_class, total } = expected(i);
    expect(taskRatio(classesOf(c), c.spawned)).toEqual({ per_class, total } as never);
  });

  test.each(rows)("%s, -u %p: the users --show-task-ratio plans are Locust's, rounded half to even", (_, users, i) => {
    expect(plannedSpawn(classesOf(cases[i] as Case), users ?? undefined)).toEqual(expected(i).planned);
  });

  test.each(rows)("%s, -u %p: --show-task-ratio and --show-task-ratio-json print Locust's bytes", (_, users, i) => {
    const classes = classesOf(cases[i] as Case);
    const ratio = taskRatio(classes, plannedSpawn(classes, users ?? undefined));
    expect(taskRatioText(ratio)).toBe(expected(i).text);
    expect(taskRatioJson(ratio)).toBe(expected(i).json);
  });

  test("a task's total share is its class's share times its share of the class's weights", () => {
    const ratio = taskRatio(classesOf(cases[0] as Case), { Browser: 7, Api: 3 });
    expect(ratio.per_class.Browser?.tasks.home?.ratio).toBe(0.5);
    expect(ratio.total.Browser?.ratio).toBe(0.7);
    expect(ratio.total.Browser?.tasks.home?.ratio).toBeCloseTo(0.35, 12);
    expect(ratio.total.Api?.tasks.items?.ratio).toBeCloseTo(0.3, 12);
  });
});
