// Where a data file named in a task file is found. An absolute path is read as it is; a relative
// name is looked for among the files carried with the tasks (compiled into the binary by
// `loadworker build`, or the --tasks folder on disk: api/task-files.ts), then beside the task file
// that named it, then in the working directory.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { taskFilesSource } from "../api/task-files.ts";
import { LoadworkerError } from "../errors.ts";

export interface DataFile {
  /** The file as messages name it: its path, or `users.csv (carried in the binary)`. */
  readonly label: string;
  /** Its text (UTF-8, a BOM dropped). */
  text(): string;
}

/** Where the data file `name` is, or an error saying where it was looked for. */
export function locateDataFile(name: string, taskFile: string | undefined): DataFile {
  const source = taskFilesSource();
  const key = name.replaceAll("\\", "/").replace(/^\.\//, "");
  if (!isAbsolute(name) && "embedded" in source) {
    const text = source.embedded.get(key);
    if (text !== undefined) return { label: `${key} (carried in the binary)`, text: () => withoutBom(text) };
  }
  const dirs = isAbsolute(name) ? [""] : ["dir" in source ? source.dir : undefined, taskFile && dirname(taskFile), process.cwd()];
  const tried = [...new Set(dirs.filter((d): d is string => typeof d === "string").map((d) => (d === "" ? name : resolve(d, name))))];
  const path = tried.find((p) => existsSync(p));
  if (path === undefined) {
    const carried = "embedded" in source && !isAbsolute(name) ? ["the files carried in the binary"] : [];
    throw new LoadworkerError(
      "E_USAGE",
      `feeder("${name}"): no such file; looked in ${[...carried, ...tried].join(", ")}. Put it in the tasks folder or pass a path`,
    );
  }
  return { label: path, text: () => withoutBom(readFileSync(path, "utf8")) };
}

function withoutBom(text: string): string {
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
