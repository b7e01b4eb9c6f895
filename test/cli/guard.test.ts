// A rejected promise nobody awaits (a missing await in a task) is logged, never fatal: Deno and
// Bun both end the process on one by default.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT, startProc } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const TASKS = join(ROOT, "test/cli/fixtures/floating");

describe("a task with a promise nobody awaits", () => {
  for (const [runtime, cmd] of [
    ["Bun", [join(ROOT, "node_modules/.bin/bun"), "src/main.ts"]],
    ["Deno", [join(ROOT, "node_modules/.bin/deno"), "run", "-A", "src/main.ts"]],
  ] as const) {
    test(`is logged and the run goes on under ${runtime}`, async () => {
      const p = startProc(cmd[0], [...cmd.slice(1), "--run-tasks", "floating"], { env: { LOADWORKER_TASKS_DIR: TASKS, NO_COLOR: "1" } });
      expect(await within(p.exited, 30_000, `${runtime} to finish --run-tasks`)).toBe(0);
      expect(p.output()).toContain("floating: 1 recorded, 0 failed");
      expect(p.output()).toContain("a promise nobody awaited rejected");
      expect(p.output()).toContain("nobody awaited me");
    }, 40_000);
    test(`a throw from a timer callback is logged and the run goes on under ${runtime}`, async () => {
      const p = startProc(cmd[0], [...cmd.slice(1), "--run-tasks", "timer-throws"], {
        env: { LOADWORKER_TASKS_DIR: TASKS, NO_COLOR: "1" },
      });
      expect(await within(p.exited, 30_000, `${runtime} to finish --run-tasks`)).toBe(0);
      expect(p.output()).toContain("timer-throws: 1 recorded, 0 failed");
      expect(p.output()).toContain("thrown from a timer");
    }, 40_000);
  }
});
