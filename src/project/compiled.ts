// The compiled binary's own tasks: its entry (project/entry.ts) hands them here, and they load
// only when the command runs without --tasks.
import { useTaskFiles } from "../api/task-files.ts";
import { type LoadedTasks, type TaskModule, importTasks } from "./load.ts";
import { sideDefinitions } from "./task-dir.ts";

/** `carried`: every carried file's path and text (task-dir.ts); the .py and .proto at the top go to the plan too. */
export function compiledTasks(
  modules: readonly TaskModule[],
  carried: ReadonlyArray<readonly [string, string]>,
): () => Promise<LoadedTasks> {
  return () => {
    useTaskFiles({ embedded: new Map(carried) }); // before the modules run: they may read their data at the top
    return importTasks(modules, sideDefinitions(carried), "the compiled-in tasks");
  };
}
