// Start-up time and binary size. Builds ./loadworker's variants (default flags of scripts/build.ts,
// without bytecode, with --minify), then starts each binary, launce's and boomer's, ROUNDS times
// against a TCP listener standing in for the master and times spawn → first bytes received (the
// ZMTP greeting: the worker is up and talking). Prints JSON on stdout (run.sh keeps it).
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
async function once(file: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const started = performance.now();
  const child = spawn(file, ["--master-host", "127.0.0.1", "--master-port", String(port)], { stdio: "ignore" });
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
console.log(JSON.stringify({ what: "spawn → first bytes at the master's port", results }, null, 2));
process.exit(0);
