// Runs a batch of onTestStart / onTestStop hooks (Locust's test_start / test_stop listeners) in
// the order they were exported, one after another, each in the worker's task scope so the free
// recordSuccess/sendMessage work. A throwing hook is user code: reported, and the next one runs.
import type { TestHookContext, TestHookDefinition } from "../api/definitions.ts";
import { type TaskScope, runInScope } from "./current.ts";
import type { ExceptionSink } from "./user.ts";

export async function runTestHooks(
  fns: readonly TestHookDefinition["fn"][],
  ctx: TestHookContext,
  scope: TaskScope,
  onException: ExceptionSink,
  where: "onTestStart" | "onTestStop",
): Promise<void> {
  for (const fn of fns) {
    try {
      await runInScope(scope, () => fn(ctx));
    } catch (error) {
      onException(error, where);
    }
  }
}
