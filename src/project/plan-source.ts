// Where a command's plan comes from: `--tasks PATH` (or LOADWORKER_TASKS, for an image with a
// mounted folder) loaded from disk, else the tasks the entry brings (compiled in, or the source
// tree's tasks/). Loaded when the command asks, so `init`, `build` and --help need no tasks.
import { type Plan, buildPlan, collectDefinitions } from "../api/plan.ts";
import { LoadworkerError } from "../errors.ts";
import { type LoadedTasks, loadTaskPath } from "./load.ts";

/** A plan, and the folder or file its tasks came from (LoadedTasks.from): master.py's header names it. */
export interface LoadedPlan extends Plan {
  readonly tasksFrom: string;
}

/** Loads the plan for `--tasks` (undefined when not given); warnings go to `warn`. */
export type LoadPlan = (tasks: string | undefined, warn?: (message: string) => void) => Promise<LoadedPlan>;

const toStderr = (message: string) => void process.stderr.write(`loadworker: warning: ${message}\n`);

export interface PlanSourceOptions {
  /** Definitions added to the task files' (data/'s answer handlers and master-side Python). */
  extras?: () => readonly unknown[];
  /** Called once the plan is built (data/ reads and checks its feeders' files). */
  onPlan?: () => void;
  env?: Record<string, string | undefined>;
}

export function planSource(builtIn: () => Promise<LoadedTasks>, options: PlanSourceOptions = {}): LoadPlan {
  const env = options.env ?? process.env;
  return async (tasks, warn = toStderr) => {
    if (tasks !== undefined && tasks.trim() === "")
      throw new LoadworkerError("E_USAGE", "--tasks is empty; give a task file or a folder of them");
    const fromEnv = tasks === undefined ? env.LOADWORKER_TASKS?.trim() || undefined : undefined;
    // Named as the user gave it: a container's LOADWORKER_TASKS is no --tasks they typed.
    const loaded =
      tasks !== undefined
        ? await loadTaskPath(tasks)
        : fromEnv !== undefined
          ? await loadTaskPath(fromEnv, `LOADWORKER_TASKS=${fromEnv}`)
          : await builtIn();
    for (const warning of loaded.warnings) warn(warning);
    const plan = buildPlan(collectDefinitions([...loaded.exports, ...(options.extras?.() ?? [])]));
    options.onPlan?.();
    return { ...plan, tasksFrom: loaded.from };
  };
}
