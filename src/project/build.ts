// `loadworker build` and scripts/build.ts: the runtime plus a tasks folder compiled into one
// executable (source maps, bytecode, the folder's .py/.proto/.csv/.jsonl files carried in).
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { LoadworkerError } from "../errors.ts";
import { compileExecutable } from "../platform/compile.ts";
import { entrySource } from "./entry.ts";
import type { LoadPlan } from "./plan-source.ts";
import { readTaskDir } from "./task-dir.ts";

export interface BuildOptions {
  tasksDir: string;
  outfile: string;
  /**
   * Loads the folder as `run --tasks DIR` does, before compiling: a folder whose tasks cannot start
   * stops the build with run's message (and no binary), and run's warnings are printed here.
   */
  load: LoadPlan;
  /** Default true: start-up halves (bench/workers/README.md). */
  bytecode?: boolean;
  /** Default false: saves ~0.1 MB of ~110 MB and gains nothing measurable. */
  minify?: boolean;
}

export interface Built {
  outfile: string;
  tasks: string[];
  carried: string[];
}

const SRC = resolve(import.meta.dirname ?? ".", "..");

export async function buildBinary(options: BuildOptions): Promise<Built> {
  // The compiled binary carries no sources to compile: building is the npm package's (or this repo's).
  if (!existsSync(join(SRC, "index.ts"))) {
    throw new LoadworkerError(
      "E_USAGE",
      "build compiles loadworker's TypeScript sources, which this binary does not carry: run npx loadworker build in a project with the npm package",
    );
  }
  const tasksDir = resolve(options.tasksDir);
  const outfile = resolve(options.outfile);
  let dir: ReturnType<typeof readTaskDir>;
  try {
    dir = readTaskDir(tasksDir);
  } catch {
    const what = existsSync(tasksDir)
      ? `a file: build takes the folder of task files (${dirname(options.tasksDir)})`
      : "no such folder; give the folder of task files (npx loadworker init writes one)";
    throw new LoadworkerError("E_TASKS", `${options.tasksDir}: ${what}`);
  }
  if (dir.tasks.length === 0) {
    throw new LoadworkerError(
      "E_TASKS",
      `${options.tasksDir}: no task files; add a .ts file that exports defineTask(...) or defineUser(...)`,
    );
  }
  // In process, as `run` would: a throw at load, no exported task or a bad class name is the
  // build's error, not the binary's first start.
  await options.load(options.tasksDir);
  const read = (file: string) => readFileSync(join(tasksDir, file), "utf8");
  const source = entrySource({
    src: SRC,
    tasksDir,
    tasks: dir.tasks,
    carried: dir.carried.map((file) => ({ file, text: read(file) })),
  });
  const work = mkdtempSync(join(tmpdir(), "loadworker-build-"));
  // Beside the output under another name, then renamed: a failed build leaves no half binary, and
  // a running copy is replaced rather than written over (ETXTBSY).
  const partial = join(dirname(outfile), `.${process.pid}.loadworker-build.tmp`);
  try {
    const entry = join(work, "entry.ts");
    writeFileSync(entry, source);
    const result = await compileExecutable({
      entry,
      outfile: partial,
      bytecode: options.bytecode ?? true,
      minify: options.minify ?? false,
      aliases: { loadworker: join(SRC, "index.ts") },
    });
    if (!result.ok) {
      throw new LoadworkerError(
        "E_TASKS",
        `compiling ${options.tasksDir} failed:\n${result.messages.join("\n")}\nFix the file named above and build again`,
      );
    }
    renameSync(partial, outfile);
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { force: true });
    rmSync(`${partial}.map`, { force: true }); // Bun also writes the inline map beside it; the binary does not read it
  }
  return { outfile, tasks: dir.tasks, carried: dir.carried };
}
