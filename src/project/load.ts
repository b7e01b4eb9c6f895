// Imports task modules, from disk (`--tasks DIR|FILE`, the source entry) or compiled in, into the
// exports the plan is built from. What is wrong with a task file stops the start here with one
// message naming the file (and line where there is one), before any load: a missing path, a file
// that does not compile or throws while loading, tasks that export no task or user class.
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { type AnyDefinition, DEFINITION, isDefinition } from "../api/definitions.ts";
import { madeCount } from "../api/made.ts";
import { collectDefinitions } from "../api/plan.ts";
import { useTaskFiles } from "../api/task-files.ts";
import { unexportedWarning } from "../api/unexported.ts";
import { LoadworkerError } from "../errors.ts";
import * as runtime from "../index.ts";
import { watchBlockedLoop } from "../platform/blocked-loop.ts";
import { provideModule } from "../platform/modules.ts";
import { resolveHint } from "./resolve-hint.ts";
import { readTaskDir, sideDefinitions } from "./task-dir.ts";

export interface ImportedTasks {
  /** Every value the task modules export, and the master-side Python files. */
  readonly exports: readonly unknown[];
  /** Worth saying, not worth stopping for: a module that exports nothing, a definition not exported. */
  readonly warnings: readonly string[];
}

export interface LoadedTasks extends ImportedTasks {
  /** The folder (with a trailing /) or file they came from, as the user names it: master.py's header says so. */
  readonly from: string;
}

/** A task module: its name in messages, and how to import it. */
export interface TaskModule {
  readonly file: string;
  readonly load: () => Promise<Record<string, unknown>>;
}

const TASK_MODULE = /\.(ts|js|mts|mjs)$/;

/**
 * Loads `--tasks PATH`: every task module of a folder (and its .py files for master.py), or one file.
 * `setting` is how the user gave it, for the messages (`LOADWORKER_TASKS=/tasks` in an image).
 */
export async function loadTaskPath(path: string, setting = `--tasks ${path}`): Promise<LoadedTasks> {
  const full = resolve(path);
  const kind = pathKind(full);
  if (kind === undefined) throw new LoadworkerError("E_TASKS", `${setting}: no such file or folder`);
  // In the binary, and for a file outside any project, "loadworker" is this runtime: one copy of it.
  provideModule("loadworker", { ...runtime });
  const fromDisk = (file: string): TaskModule => ({ file: shown(file), load: () => import(pathToFileURL(file).href) });
  if (kind === "folder") {
    const dir = readTaskDir(full);
    const skipped =
      dir.skipped.length > 0
        ? `${dir.skipped.join(", ")} not loaded: task modules are .ts, .js, .mts or .mjs files (rename them)`
        : undefined;
    if (dir.tasks.length === 0)
      throw new LoadworkerError(
        "E_TASKS",
        `${setting}: no task files (.ts, .js, .mts, .mjs) in this folder${skipped ? `; ${skipped}` : ""}`,
      );
    useTaskFiles({ dir: full });
    const side = sideDefinitions([...dir.python, ...dir.protos].map((f) => [f, readFileSync(join(full, f), "utf8")] as const));
    const loaded = await importTasks(
      dir.tasks.map((f) => fromDisk(join(full, f))),
      side,
      path,
    );
    const warnings = skipped ? [`${setting}: ${skipped}`, ...loaded.warnings] : loaded.warnings;
    return { ...loaded, warnings, from: `${shown(full).replace(/\/+$/, "")}/` };
  }
  if (!TASK_MODULE.test(full) || /\.d\.m?ts$/.test(full))
    throw new LoadworkerError("E_TASKS", `${setting}: not a task file (.ts, .js, .mts, .mjs; not a .d.ts) or a folder`);
  useTaskFiles({ dir: dirname(full) });
  // One file: the .proto files beside it (ctx.grpc), but no master-side .py (a folder brings those).
  const protos = readTaskDir(dirname(full)).protos;
  const loaded = await importTasks(
    [fromDisk(full)],
    sideDefinitions(protos.map((f) => [f, readFileSync(join(dirname(full), f), "utf8")] as const)),
    path,
  );
  return { ...loaded, from: shown(full) };
}

/** Imports the modules in order, adding `side` (from the carried files); `where` names them all in the message when none exports a task. */
export async function importTasks(modules: readonly TaskModule[], side: readonly AnyDefinition[], where: string): Promise<ImportedTasks> {
  const since = madeCount();
  const exports: unknown[] = [];
  const warnings: string[] = [];
  // From here on user code runs: at a file's top level, then in its tasks.
  const lookalike: string[] = []; // plain objects shaped like a user class or task: not run
  const blocked = watchBlockedLoop();
  if (blocked !== undefined) warnings.push(blocked);
  for (const module of modules) {
    let namespace: Record<string, unknown>;
    try {
      namespace = await module.load();
    } catch (error) {
      const { where, detail } = loadFailure(module.file, error);
      throw new LoadworkerError("E_TASKS", `${where}; fix it and start again${detail}`);
    }
    const values = Object.values(namespace);
    const plain = lookalikes(module.file, namespace);
    if (plain !== undefined) lookalike.push(plain);
    if (collectDefinitions(values).length === 0 && modules.length > 1 && plain === undefined) {
      warnings.push(`${module.file} exports no task, user class, hook or handler (helpers belong in a subfolder)`);
    }
    exports.push(...values);
  }
  const definitions = collectDefinitions(exports);
  if (!definitions.some((d) => d[DEFINITION] === "task" || d[DEFINITION] === "user")) {
    const hint = lookalike.length > 0 ? `; ${lookalike.join("; ")}` : "";
    throw new LoadworkerError(
      "E_TASKS",
      `${where}: exports no task: export a defineTask(...) or defineUser(...) value (export const x = defineUser({...}))${hint}`,
    );
  }
  warnings.push(...lookalike);
  const unexported = unexportedWarning(since, definitions);
  if (unexported !== undefined) warnings.push(unexported);
  return { exports: [...exports, ...side], warnings };
}

// `export const shop = { name, tasks: [...] }` without defineUser is not a user class: say so, by name.
function lookalikes(file: string, namespace: Record<string, unknown>): string | undefined {
  const plain = Object.entries(namespace).filter(
    ([, v]) =>
      typeof v === "object" &&
      v !== null &&
      !isDefinition(v) &&
      (Array.isArray((v as { tasks?: unknown }).tasks) || typeof (v as { fn?: unknown }).fn === "function"),
  );
  if (plain.length === 0) return undefined;
  const names = plain.map(([name]) => name).join(", ");
  return `${file} exports ${names}, a plain object shaped like a user class or task, which is not run: wrap it in defineUser({ name, tasks }) or defineTask({ name, fn })`;
}

function pathKind(full: string): "file" | "folder" | undefined {
  try {
    return statSync(full).isDirectory() ? "folder" : "file";
  } catch {
    return undefined; // missing or unreadable: the caller says which path
  }
}

/** A path as the user would type it: relative to where they stand when it is below, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") || rel.startsWith(sep) ? path : rel;
}

interface Position {
  file?: string;
  line?: number;
  column?: number;
  lineText?: string;
}

// Bun's BuildMessage (a syntax error) carries a position; a ResolveMessage (a missing import) names
// the specifier and the importer, whose line we look up; a throw while the module runs has a stack.
function loadFailure(file: string, error: unknown): { where: string; detail: string } {
  const first = ((error as { errors?: unknown[] })?.errors?.[0] ?? error) as {
    message?: unknown;
    position?: Position | null;
    specifier?: string;
    referrer?: string;
    stack?: string;
  };
  // Deno colours its messages even into a pipe.
  const message = stripVTControlCharacters(String(first?.message ?? first));
  const position = first?.position;
  if (position?.file !== undefined && position.line !== undefined) {
    const detail = position.lineText ? `\n    ${position.lineText.trim()}` : "";
    return { where: `${shown(position.file)}:${position.line}:${(position.column ?? 0) + 1}: ${message}`, detail };
  }
  if (typeof first?.specifier === "string" && typeof first.referrer === "string") {
    const line = lineOf(first.referrer, first.specifier);
    const hint = resolveHint(first.specifier, first.referrer);
    return { where: `${shown(first.referrer)}${line ? `:${line}` : ""}: cannot find module "${first.specifier}"${hint}`, detail: "" };
  }
  // Deno: require() does not read the import map, so a CommonJS task file reaches the package's .ts sources.
  if (message.includes("ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING") && /loadworker[\\/]src[\\/]/.test(message)) {
    const at = `${file}: require("loadworker") under Deno skips the import map and reaches the package's TypeScript sources`;
    return { where: `${at}: write the task file as an ES module (import { defineUser } from "loadworker")`, detail: "" };
  }
  const unresolved = denoUnresolved(message);
  if (unresolved !== undefined) {
    const { referrer, line, specifier } = unresolved;
    return { where: `${shown(referrer)}:${line}: cannot find module "${specifier}"${resolveHint(specifier, referrer)}`, detail: "" };
  }
  const line = (first?.stack ?? "")
    .split("\n")
    .find((l) => l.includes(resolve(file)))
    ?.match(/:(\d+):\d+\)?\s*$/)?.[1];
  return { where: `${file}${line ? `:${line}` : ""}: ${message}`, detail: "" };
}

// Deno: `Import "x" not a dependency …` or `Module not found "file:///…"`, then `at file:///importer:L:C`.
// The specifier as written is read from the importer's line (Deno names the resolved URL).
function denoUnresolved(message: string): { referrer: string; line: number; specifier: string } | undefined {
  const found = /^(?:Import "([^"]+)" not a dependency|Module not found "([^"]+)")[\s\S]*?\bat (file:\/\/\S+?):(\d+):\d+/.exec(message);
  if (found === null) return undefined;
  const [, bare, url, importer, lineText] = found;
  const referrer = fileURLToPath(importer as string);
  const line = Number(lineText);
  let written: string | undefined;
  try {
    const text = readFileSync(referrer, "utf8").split("\n")[line - 1] ?? "";
    written = /(?:from|import)\s*\(?\s*["']([^"']+)["']/.exec(text)?.[1];
  } catch {
    // unreadable now: name what Deno named
  }
  return { referrer, line, specifier: written ?? bare ?? (url as string) };
}

/** The first line of `file` that names `specifier` in quotes (1-based), or undefined. */
function lineOf(file: string, specifier: string): number | undefined {
  try {
    const index = readFileSync(file.replace(/^file:\/\//, ""), "utf8")
      .split("\n")
      .findIndex((l) => l.includes(`"${specifier}"`) || l.includes(`'${specifier}'`));
    return index >= 0 ? index + 1 : undefined;
  } catch {
    return undefined; // the message still names the file
  }
}
