// Compiles the runtime plus every task file in tasks/ into one executable, ./loadworker: the
// same compile as `loadworker build` (src/project/build.ts), with this repository's defaults.
// Usage: bun scripts/build.ts [--outfile PATH] [--tasks DIR] [--no-bytecode] [--minify].
// The Dockerfile's build stage runs this.
import { join, relative, resolve } from "node:path";
import { dataDefinitions } from "../src/data/registry.ts";
import { buildBinary } from "../src/project/build.ts";
import { loadTaskPath } from "../src/project/load.ts";
import { planSource } from "../src/project/plan-source.ts";

const root = resolve(import.meta.dir, "..");
const argv = process.argv.slice(2);
const USAGE = `Usage: bun scripts/build.ts [--outfile PATH] [--tasks DIR] [--no-bytecode] [--minify]

Compiles src/ and every task file in DIR (default: tasks/) into one executable.
  --outfile PATH   where to write it (default: ./loadworker)
  --tasks DIR      the task files to compile in (default: ./tasks)
  --no-bytecode    compile without bytecode (start-up ~2x slower; bench/workers/README.md)
  --minify         minify the bundle (saves ~0.1 MB)
`;
const SWITCHES = new Set(["--no-bytecode", "--minify"]);
if (argv.includes("--help") || argv.includes("-h")) {
  process.stdout.write(USAGE);
  process.exit(0);
}
for (const [i, arg] of argv.entries()) {
  const isValue = i > 0 && (argv[i - 1] === "--outfile" || argv[i - 1] === "--tasks");
  if (!isValue && arg !== "--outfile" && arg !== "--tasks" && !SWITCHES.has(arg)) {
    process.stderr.write(`build: unexpected argument "${arg}"\n\n${USAGE}`);
    process.exit(2);
  }
}
const flag = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? resolve(argv[i + 1] as string) : fallback;
};
const outfile = flag("--outfile", join(root, "loadworker"));
const tasksDir = flag("--tasks", join(root, "tasks"));
try {
  const built = await buildBinary({
    tasksDir,
    outfile,
    bytecode: !argv.includes("--no-bytecode"),
    minify: argv.includes("--minify"),
    // The folder loaded as `loadworker build` loads it (src/cli/main.ts): no data file is read.
    load: planSource(() => loadTaskPath(tasksDir), { extras: dataDefinitions }),
  });
  const extra = built.carried.length > 0 ? ` and ${built.carried.length} carried file(s): ${built.carried.join(", ")}` : "";
  console.error(
    `build: wrote ${relative(process.cwd(), outfile) || outfile} with ${built.tasks.length} task file(s): ${built.tasks.join(", ")}${extra}`,
  );
  // The task modules were loaded here to check them: a timer one starts must not keep the build open.
  process.exit(0);
} catch (error) {
  // The message names the task file and line (project/build.ts); build.sh adds nothing to it.
  console.error(`build: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
