// Files that travel with the task files: a .proto, a .csv/.tsv/.jsonl/.ndjson of test data, master-side
// .py. A task reads one by its name relative to the tasks folder: from disk when the tasks run from
// source or with `--tasks`, from inside the binary when `loadworker build` compiled them in.
// The source is set once at start, before any task module is evaluated, so a module may read its
// data at the top level.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LoadworkerError } from "../errors.ts";

/** Where the carried files are: a folder on disk, or their text compiled into the binary. */
export type TaskFileSource = { readonly dir: string } | { readonly embedded: ReadonlyMap<string, string> };

/** File extensions carried into the binary beside the task modules (docs/package.md, Carried files). */
export const CARRIED_FILE = /\.(py|proto|csv|tsv|jsonl|ndjson)$/;

// One per process, like the process's working directory: the tasks it runs sit in one place.
let source: TaskFileSource = { dir: process.cwd() };

/** Called by the loader before it imports the task modules. */
export function useTaskFiles(next: TaskFileSource): void {
  source = next;
}

/** Where the carried files are now (data/'s feeders look there first). */
export function taskFilesSource(): TaskFileSource {
  return source;
}

/**
 * Reads a file carried with the task files, by its path relative to the tasks folder
 * (`readTaskFile("data/users.csv")`): a `.proto`, `.csv`, `.tsv`, `.jsonl`, `.ndjson` or `.py` file there is compiled
 * into the binary by `loadworker build`, and read from disk when the tasks run from source.
 */
export function readTaskFile(name: string): string {
  const key = name.replaceAll("\\", "/").replace(/^\.\//, "");
  if ("embedded" in source) {
    const text = source.embedded.get(key);
    if (text !== undefined) return text;
    const carried = [...source.embedded.keys()].join(", ") || "none";
    throw new LoadworkerError(
      "E_TASKS",
      `readTaskFile("${name}"): not compiled into this binary (carried: ${carried}); only .py, .proto, .csv, .tsv, .jsonl and .ndjson files in the tasks folder are`,
    );
  }
  try {
    return readFileSync(join(source.dir, key), "utf8");
  } catch (error) {
    const why = (error as { code?: string }).code === "ENOENT" ? "no such file" : String(error);
    throw new LoadworkerError("E_TASKS", `readTaskFile("${name}"): ${why} in ${source.dir}, the tasks folder`);
  }
}
