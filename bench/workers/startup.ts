// Start-up time and binary size. Builds ./loadworker's variants (default flags of scripts/build.ts,
// without bytecode, with --minify), then starts each binary, launce's and boomer's, ROUNDS times
// against a TCP listener standing in for the master and times spawn → first bytes received (the
// ZMTP greeting: the worker is up and talking), and the default binary with --tasks against its
// compiled-in tasks (tasksFromDisk). Prints JSON on stdout (run.sh keeps it).
// usage: bun bench/workers/startup.ts   env: ROUNDS=15 NO_BUILD=1
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { median } from "../lib/stats.ts";

const rounds = Number(process.env.ROUNDS_STARTUP ?? 15);
const variants: { name: string; file: string; flags: string[] }[] = [
  { name: "loadworker (scripts/build.ts default)", file: ".build/lw-startup-default", flags: [] },
  { name: "loadworker --no-bytecode", file: ".build/lw-startup-plain", flags: ["--no-bytecode"] },
  { name: "loadworker --minify", file: ".build/lw-startup-minify", flags: ["--minify"] },
  { name: "loadworker --no-bytecode --minify", file: ".build/lw-startup-plain-minify", flags: ["--no-bytecode", "--minify"] },
];
if (!process.env.NO_BUILD) {
  for (const v of variants) {
    const r = spawnSync(process.execPath, ["scripts/build.ts", "--outfile", v.file, ...v.flags], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) console.error(`startup: building ${v.name} failed`);
  }
}
const binaries = [
  ...variants,
  { name: "launce", file: ".build/launce-bench", flags: [] },
  { name: "boomer", file: ".build/boomer-bench", flags: [] },
];

/** Milliseconds from spawn to the first bytes the binary sends to the listening "master". */
async function once(file: string, args: string[] = []): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const started = performance.now();
  const child = spawn(file, [...args, "--master-host", "127.0.0.1", "--master-port", String(port)], { stdio: "ignore" });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${file}: no bytes within 10 s`)), 10_000);
      child.once("exit", (code) => reject(new Error(`${file} exited (${code}) before connecting`)));
      server.once("connection", (socket) =>
        socket.once("data", () => {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }),
      );
    });
  } finally {
    child.kill("SIGKILL");
    server.close();
  }
}

const results = [];
for (const b of binaries) {
  if (!existsSync(b.file)) {
    results.push({ name: b.name, failed: `no ${b.file} (build it first)` });
    continue;
  }
  const times: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) times.push(await once(b.file));
    results.push({
      name: b.name,
      bytes: statSync(b.file).size,
      startMs: { median: median(times), min: Math.min(...times), max: Math.max(...times), rounds },
    });
  } catch (error) {
    results.push({ name: b.name, failed: String(error) });
  }
}
// Issue 18's goal: the binary started with --tasks (TypeScript loaded from disk at start) at most
// 2x the start-up of the same binary running its compiled-in tasks. One binary, rounds interleaved.
const fromDisk = async () => {
  const file = variants[0]?.file as string;
  if (!existsSync(file)) return { failed: `no ${file}` };
  const times = { compiledIn: [] as number[], tasksFile: [] as number[], tasksDir: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    times.compiledIn.push(await once(file));
    times.tasksFile.push(await once(file, ["--tasks", "tasks/shop.ts"]));
    times.tasksDir.push(await once(file, ["--tasks", "tasks"]));
  }
  const compiled = median(times.compiledIn);
  return {
    compiledInMs: compiled,
    tasksFileMs: median(times.tasksFile),
    tasksDirMs: median(times.tasksDir),
    ratioFile: median(times.tasksFile) / compiled,
    ratioDir: median(times.tasksDir) / compiled,
    rounds,
  };
};
const tasksFromDisk = await fromDisk().catch((error: unknown) => ({ failed: String(error) }));
console.log(JSON.stringify({ what: "spawn → first bytes at the master's port", results, tasksFromDisk }, null, 2));
process.exit(0);
