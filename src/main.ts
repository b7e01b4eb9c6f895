// Development entry: `bun src/main.ts …` or `deno run -A src/main.ts …` loads every file in
// tasks/ at run time. The compiled ./loadworker uses a generated entry with static imports.
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { masterPython, protoFile, runCli } from "./cli/main.ts";

const dir = resolve(process.env.LOADWORKER_TASKS_DIR ?? join(import.meta.dirname ?? ".", "..", "tasks"));
const entries = (await readdir(dir)).sort();
const files = entries.filter((f) => /\.(ts|js|mts|mjs)$/.test(f) && !/\.(test|spec)\./.test(f));
const modules = await Promise.all(files.map((f) => import(pathToFileURL(join(dir, f)).href)));
// Master-side Python (e.g. master_extra.py), which `loadworker locustfile` appends to master.py.
const pyFiles = entries.filter((f) => f.endsWith(".py"));
const python = await Promise.all(pyFiles.map(async (f) => masterPython(f, await readFile(join(dir, f), "utf8"))));
// .proto files, which ctx.grpc finds by name (the build embeds them the same way).
const protos = await Promise.all(
  entries.filter((f) => f.endsWith(".proto")).map(async (f) => protoFile(f, await readFile(join(dir, f), "utf8"))),
);
process.exit(await runCli([...modules.flatMap((m) => Object.values(m)), ...python, ...protos], process.argv.slice(2)));
