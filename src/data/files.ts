// Where a data file named in a task file is found: a file the build carried into the binary, the
// folder of the task file that named it, the tasks folder (LOADWORKER_TASKS_DIR), then the
// working directory. An absolute path is read as it is.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LoadworkerError } from "../errors.ts";

const carried = new Map<string, string>();

/** The build registers each data file it embeds: its name in the tasks folder → where to read it. */
export function carryFile(name: string, path: string): void {
  carried.set(name, path);
}

/** The folders tried for `name`, in order (the error message lists them when none has it). */
export function candidates(name: string, taskFile: string | undefined): string[] {
  if (isAbsolute(name)) return [name];
  const carriedPath = carried.get(name);
  const dirs = [taskFile && dirname(taskFile), process.env.LOADWORKER_TASKS_DIR, process.cwd()].filter(
    (d): d is string => typeof d === "string" && d !== "",
  );
  return [...(carriedPath ? [carriedPath] : []), ...dirs.map((d) => resolve(d, name))];
}

/** Where the data file `name` is, or an error saying where it was looked for. */
export function locateDataFile(name: string, taskFile: string | undefined): string {
  const tried = candidates(name, taskFile);
  const path = tried.find((p) => existsSync(p));
  if (path === undefined) {
    throw new LoadworkerError(
      "E_USAGE",
      `feeder("${name}"): no such file; looked for ${[...new Set(tried)].join(", ")}. Put it beside the task file or pass a path`,
    );
  }
  return path;
}

/** A data file's text (UTF-8, a BOM dropped). */
export function readDataText(path: string): string {
  const text = readFileSync(path, "utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The file of the code that called feeder(): the first stack frame outside src/data/. */
export function callerFile(stack: string | undefined): string | undefined {
  for (const line of (stack ?? "").split("\n").slice(1)) {
    const match = /((?:file:\/\/)?\/[^():]+?\.[cm]?[jt]s):\d+:\d+/.exec(line);
    const file = match?.[1];
    if (file === undefined || file.includes(join("src", "data"))) continue;
    return file.startsWith("file://") ? fileURLToPath(file) : file;
  }
  return undefined;
}
