// Development entry: `bun src/main.ts …` or `deno run -A src/main.ts …` loads every file in
// tasks/ at run time. The compiled ./loadworker uses a generated entry with static imports.
import { readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "./cli/main.ts";

const dir = resolve(process.env.LOADWORKER_TASKS_DIR ?? join(import.meta.dirname ?? ".", "..", "tasks"));
const files = (await readdir(dir)).filter((f) => /\.(ts|js|mts|mjs)$/.test(f) && !/\.(test|spec)\./.test(f)).sort();
const modules = await Promise.all(files.map((f) => import(pathToFileURL(join(dir, f)).href)));
process.exit(await runCli(modules.flatMap((m) => Object.values(m)), process.argv.slice(2)));
