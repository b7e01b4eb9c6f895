// What a tasks folder holds, from one listing: the task modules (imported, or compiled in) and
// the files carried with them (api/task-files.ts). Both the loader and the build read it here, so
// `--tasks DIR` and the binary built from DIR cannot disagree about what is in it.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { type AnyDefinition, masterPython, protoFile } from "../api/definitions.ts";
import { CARRIED_FILE } from "../api/task-files.ts";

export interface TaskDir {
  /** Top-level .ts/.js/.mts/.mjs files, without *.test.*, *.spec.* and *.d.ts, sorted: the task modules. */
  tasks: string[];
  /** Top-level .cts/.cjs/.tsx/.jsx files: modules Bun could run that are not task modules, named in a warning, not dropped in silence. */
  skipped: string[];
  /** Top-level .py files, sorted: `loadworker locustfile` appends them to master.py. */
  python: string[];
  /** Every .proto file, subfolders included, as carried: ctx.grpc finds them by path from the folder. */
  protos: string[];
  /**
   * Every .py, .proto, .csv and .jsonl file, subfolders included (node_modules and dot folders
   * left out), as paths relative to the folder with "/": what `loadworker build` carries in.
   */
  carried: string[];
}

const TASK_MODULE = /\.(ts|js|mts|mjs)$/;
const NOT_A_TASK_MODULE = /\.(test|spec)\.|\.d\.m?ts$/;
const OTHER_MODULE = /\.(cts|cjs|tsx|jsx)$/;

export function readTaskDir(dir: string): TaskDir {
  const entries = readdirSync(dir).sort();
  const carried = carriedFiles(dir, "");
  return {
    tasks: entries.filter((f) => TASK_MODULE.test(f) && !NOT_A_TASK_MODULE.test(f)),
    skipped: entries.filter((f) => OTHER_MODULE.test(f) && !NOT_A_TASK_MODULE.test(f)),
    python: entries.filter((f) => f.endsWith(".py")),
    protos: carried.filter((f) => f.endsWith(".proto")),
    carried,
  };
}

function carriedFiles(dir: string, prefix: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) found.push(...carriedFiles(dir, path));
    else if (entry.isFile() && CARRIED_FILE.test(entry.name)) found.push(path);
  }
  return found;
}

/** What the plan takes from carried files: top-level .py for master.py, every .proto for ctx.grpc (imports reach into subfolders). */
export function sideDefinitions(files: ReadonlyArray<readonly [name: string, text: string]>): AnyDefinition[] {
  return files.flatMap(([name, text]): AnyDefinition[] => {
    if (name.endsWith(".proto")) return [protoFile(name, text)];
    return name.endsWith(".py") && !name.includes("/") ? [masterPython(name, text)] : [];
  });
}
