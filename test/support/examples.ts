// The examples/ folders as a user runs them: `npx loadworker …` is bin/loadworker.js (Node
// starting the Bun that came with the package on src/main.ts), with `--tasks examples/<name>`,
// against the demo target, which counts what it served per path.
import { expect } from "bun:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { type DemoTarget, startDemoTarget } from "../../src/demo/target.ts";
import type { E2e } from "./e2e.ts";
import { type MasterResult, masterComplaints } from "./master.ts";
import { type Proc, ROOT, startProc } from "./procs.ts";
import { within } from "./wait.ts";

export const LOADWORKER_JS = join(ROOT, "bin/loadworker.js");

/** `examples/<name>`, as the commands in the examples' READMEs write it (they run from the root). */
export const example = (name: string) => `examples/${name}`;

/** Starts `npx loadworker ARGS` from the repository's root (or the same sources under Deno). */
export function loadworker(args: string[], runtime: "npx" | "deno" = "npx"): Proc {
  const [cmd, ...pre] =
    runtime === "deno" ? [join(ROOT, "node_modules/.bin/deno"), "run", "-A", join(ROOT, "src/main.ts")] : ["node", LOADWORKER_JS];
  return startProc(cmd as string, [...pre, ...args], { env: { NO_COLOR: "1" } });
}

export interface Finished {
  code: number;
  output: string;
}

/** Runs `npx loadworker ARGS` to its end (bounded). */
export async function loadworkerRun(args: string[], runtime: "npx" | "deno" = "npx", ms = 90_000): Promise<Finished> {
  const proc = loadworker(args, runtime);
  const code = await within(proc.exited, ms, `loadworker ${args.join(" ")}`).catch((error) => {
    proc.kill("SIGKILL");
    throw error;
  });
  return { code, output: proc.output() };
}

/** `npx loadworker locustfile --tasks examples/<name>`: the master's master.py. */
export function masterPyOf(name: string): string {
  return execFileSync("node", [LOADWORKER_JS, "locustfile", "--tasks", example(name)], { cwd: ROOT, encoding: "utf8" });
}

/**
 * A real headless Locust master on LOCUSTFILE (an example's master.py) with two workers run from
 * the example's folder (`npx loadworker --tasks examples/<name> --master-host …`), to the end of
 * the master's run: both workers exit 0, the master exits 0 and logged no complaint.
 */
export async function exampleOnTwoWorkers(
  e2e: E2e,
  name: string,
  locustfile: string,
  opts: { users: number; runTime: string; host: string; extra: string[] },
): Promise<{ result: MasterResult; workers: Proc[] }> {
  const run = await e2e.headlessMaster({ locustfile, spawnRate: opts.users, workers: 2, ...opts });
  const workerArgs = ["--tasks", example(name), "--master-host", "127.0.0.1", "--master-port", String(run.port)];
  const workers = [loadworker(workerArgs), loadworker(workerArgs)];
  for (const w of workers) e2e.onStop(() => w.kill("SIGKILL"));
  const result = await run.result();
  for (const w of workers) expect(await within(w.exited, 20_000, "a worker to exit")).toBe(0);
  expect(masterComplaints(result.log)).toEqual([]);
  expect(result.code).toBe(0);
  return { result, workers };
}

export interface Target {
  url: string;
  /** What the target served so far, per path. */
  served(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The demo target on a free loopback port. */
export async function demoTarget(): Promise<Target> {
  const target: DemoTarget = await startDemoTarget({ port: 0, bind: "127.0.0.1" });
  const url = `http://127.0.0.1:${target.port}`;
  return {
    url,
    served: async () => ((await (await fetch(`${url}/__stats`)).json()) as { paths: Record<string, number> }).paths,
    close: () => target.close(),
  };
}

/** The summary's Aggregated row of `loadworker run`: requests and failures. */
export function aggregated(output: string): { requests: number; failures: number } {
  const match = /^\s+Aggregated\s+(\d+)\s+(\d+)\(/m.exec(output);
  if (!match) throw new Error(`no Aggregated row in the summary:\n${output}`);
  return { requests: Number(match[1]), failures: Number(match[2]) };
}

/** Adds up the served counts of every path that matches. */
export function servedMatching(served: Record<string, number>, pattern: RegExp): number {
  return Object.entries(served)
    .filter(([path]) => pattern.test(path))
    .reduce((sum, [, n]) => sum + n, 0);
}
