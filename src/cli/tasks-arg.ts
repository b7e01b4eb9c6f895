// --tasks, for the commands that load tasks (the worker, run, locustfile): project/plan-source.ts reads it.
import type { ArgsDef } from "citty";

export const tasksArg = {
  tasks: {
    type: "string",
    description: "A task file or a folder of them, loaded at start instead of the tasks compiled in (or env LOADWORKER_TASKS)",
  },
} satisfies ArgsDef;
