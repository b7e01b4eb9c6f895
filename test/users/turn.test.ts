import { describe, expect, test } from "bun:test";
import type { Clock } from "../../src/clock.ts";
import { defineUser } from "../../src/index.ts";
import type { UserContext } from "../../src/api/definitions.ts";
import { TURN_BUDGET_MS, TurnBudget } from "../../src/users/turn.ts";
import { runUser } from "../../src/users/user.ts";
import { recordingRecorder } from "../support/fakes.ts";

describe("the turn budget", () => {
  test("has budget left until TURN_BUDGET_MS have passed since the turn began", () => {
    let now = 100;
    const budget = new TurnBudget(() => now);
    expect(budget.spent(100 + TURN_BUDGET_MS - 0.01)).toBeUndefined();
    now = 100 + TURN_BUDGET_MS;
    expect(budget.spent(now)).toBeInstanceOf(Promise);
  });

  test("gives every user that finds it spent the same next turn, and the next turn starts a new budget", async () => {
    let now = 0;
    const budget = new TurnBudget(() => now);
    const first = budget.spent(TURN_BUDGET_MS);
    expect(budget.spent(0)).toBe(first as Promise<void>); // spent for everyone until the turn ends
    now = 50;
    await first;
    expect(budget.spent(50 + TURN_BUDGET_MS / 2)).toBeUndefined();
  });

  test("bounds one event-loop turn by the budget plus one task per user, however many CPU-bound users run", async () => {
    // Each task advances a fake clock by 10 µs and never awaits I/O (a task that only records).
    // Counted per user's resume, 1,000 users would each run TURN_BUDGET_MS of tasks in one turn.
    let now = 0;
    const clock: Clock = { now: () => now, epoch: () => 0 };
    const users = 1_000;
    let tasks = 0;
    const def = defineUser({
      name: "Busy",
      tasks: [
        {
          name: "record",
          fn: () => {
            now += 0.01;
            tasks++;
          },
        },
      ],
    });
    const controller = new AbortController();
    const budget = new TurnBudget(clock.now);
    const runs = Array.from({ length: users }, () =>
      runUser(def, { signal: controller.signal } as UserContext<unknown>, {
        clock,
        recorder: recordingRecorder(),
        onException: (e) => {
          throw e;
        },
        turnBudget: budget,
      }),
    );
    const perTurn: number[] = [];
    let last = 0;
    await new Promise<void>((resolve) => {
      const probe = () => {
        // a macrotask of its own: runs once per event-loop turn
        perTurn.push(tasks - last);
        last = tasks;
        if (perTurn.length < 20) setImmediate(probe);
        else resolve();
      };
      setImmediate(probe);
    });
    controller.abort();
    await Promise.all(runs);
    const bound = TURN_BUDGET_MS / 0.01 + users;
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(bound);
    expect(perTurn.reduce((a, b) => a + b, 0)).toBeGreaterThan(10 * users); // and the users do run
  });
});
