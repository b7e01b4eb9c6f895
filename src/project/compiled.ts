// The compiled binary's own tasks: its entry (project/entry.ts) hands them here, and they load
// only when the command runs without --tasks.
import { useTaskFiles } from "../api/task-files.ts";
import { type LoadedTasks, type TaskModule, importTasks } from "./load.ts";
import { sideDefinitions } from "./task-dir.ts";

/**
 * `carried`: every carried file's path and text (task-dir.ts); the .py and .proto at the top go to
 * the plan too. `from`: the folder they were built from, as the build named it (`loadtests/`).
 */
export function compiledTasks(
  modules: readonly TaskModule[],
  carried: ReadonlyArray<readonly [string, string]>,
  from: string,
): () => Promise<LoadedTasks> {
  return async () => {
    useTaskFiles({ embedded: new Map(carried) }); // before the modules run: they may read their data at the top
    return { ...(await importTasks(modules, sideDefinitions(carried), "the compiled-in tasks")), from };
  };
}
