// `loadworker run` as a process: the compiled binary or src/main.ts under Bun, with stdout and
// stderr kept apart (the summary is stdout, logs are stderr) and every wait bounded.
import { expect } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BUN, ROOT, workerBinary } from "./procs.ts";
import { within } from "./wait.ts";

export const RUN_TASKS = join(ROOT, "test/e2e/run-tasks");

/** test/e2e/run-tasks compiled once per test run. */
export function runBinary(): Promise<string> {
  return workerBinary("test/e2e/run-tasks");
}

/** How to start `loadworker run`: the binary, or the sources under Bun with the same tasks. */
export type Runner = { kind: "binary"; path: string } | { kind: "source" } | { kind: "deno" };

export function command(runner: Runner, args: readonly string[]): { cmd: string; argv: string[]; env: Record<string, string> } {
  if (runner.kind === "binary") return { cmd: runner.path, argv: ["run", ...args], env: {} };
  if (runner.kind === "deno") {
    return {
      cmd: join(ROOT, "node_modules/.bin/deno"),
      argv: ["run", "-A", join(ROOT, "src/main.ts"), "run", ...args],
      env: { LOADWORKER_TASKS_DIR: RUN_TASKS },
    };
  }
  return { cmd: BUN, argv: [join(ROOT, "src/main.ts"), "run", ...args], env: { LOADWORKER_TASKS_DIR: RUN_TASKS } };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface StartedRun {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  signal(name: NodeJS.Signals): void;
  result: Promise<RunResult>;
}

/** `extraEnv`: variables for this run only (e.g. LOADWORKER_HOST). */
export function startRun(runner: Runner, args: readonly string[], extraEnv: Record<string, string> = {}): StartedRun {
  const { cmd, argv, env } = command(runner, args);
  const child = spawn(cmd, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env, ...extraEnv, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const result = new Promise<RunResult>((resolve) =>
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })),
  );
  return {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    signal: (name) => void child.kill(name),
    result: within(result, 120_000, `loadworker run ${args.join(" ")}`).catch((error) => {
      child.kill("SIGKILL");
      throw error;
    }),
  };
}

export function run(runner: Runner, args: readonly string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
  return startRun(runner, args, extraEnv).result;
}

/**
 * Runs under a pseudo-terminal (util-linux `script`) of the given size; returns what the
 * terminal received (stdout and stderr together, as a user would see them). Asynchronous, so
 * a server in the test process keeps answering.
 */
export function runInTerminal(runner: Runner, args: readonly string[], size = { columns: 100, rows: 30 }): Promise<RunResult> {
  const { cmd, argv, env } = command(runner, args);
  const quoted = [cmd, ...argv].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const envs = Object.entries(env)
    .map(([k, v]) => `${k}='${v}'`)
    .join(" ");
  const child = spawn("script", ["-qfec", `stty cols ${size.columns} rows ${size.rows}; ${envs} exec ${quoted}`, "/dev/null"], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["pipe", "pipe", "pipe"], // script needs a stdin; it stays open and empty
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<RunResult>((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return within(done, 120_000, `loadworker run under script ${args.join(" ")}`).finally(() => child.kill("SIGKILL"));
}

/**
 * A request in flight when a run's time ends reaches the server but is not recorded (its user is
 * stopped): the server may count up to one more request per user than the run recorded, never fewer.
 */
export function expectServedCutOff(served: number, recorded: number, users: number): void {
  expect(served).toBeGreaterThanOrEqual(recorded);
  expect(served).toBeLessThanOrEqual(recorded + users);
}

/** Per "METHOD name" request counts from the summary's first table (Locust's get_stats_summary). */
export function summaryCounts(stdout: string): Map<string, number> {
  const counts = new Map<string, number>();
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Type     Name"));
  for (const line of lines.slice(start + 2)) {
    if (line.startsWith("--------|")) break;
    const match = /^ (.*?)\s+(\d+)\s+\d+\(\d+\.\d\d%\) \|/.exec(line.slice(8));
    if (match) counts.set(`${line.slice(0, 8).trim()} ${match[1]}`, Number(match[2]));
  }
  const total = lines.slice(start).find((l) => l.startsWith("         Aggregated"));
  const totalMatch = total === undefined ? null : /Aggregated\s+(\d+)/.exec(total);
  if (totalMatch) counts.set("Aggregated", Number(totalMatch[1]));
  return counts;
}

/**
 * What a counting server (with `{ log: true }`) got for `path` in each whole epoch second: the
 * first `skip` seconds (users and hooks starting) and the last (the stop) are partial and left out.
 */
export function countsPerSecond(log: readonly { path: string; second: number }[], path: string, skip = 1): number[] {
  const perSecond = new Map<number, number>();
  for (const hit of log) if (hit.path === path) perSecond.set(hit.second, (perSecond.get(hit.second) ?? 0) + 1);
  return [...perSecond.keys()]
    .sort((a, b) => a - b)
    .slice(skip, -1)
    .map((second) => perSecond.get(second) ?? 0);
}

/**
 * The rate limit as counts: no whole second above the cap (+2%), and the median second within 2%
 * of it. The median, not the mean: on a shared machine a stalled moment loses a period's tokens
 * (the bucket keeps none, as boomer's), which says nothing about the limiter.
 */
export function expectCapHeld(perSecond: readonly number[], cap: number, label: string): void {
  const sorted = [...perSecond].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const mean = perSecond.reduce((a, b) => a + b, 0) / Math.max(1, perSecond.length);
  console.log(
    `${label}: the server counted ${perSecond.join(", ")} in ${perSecond.length} whole seconds; median ${median} (${((median / cap) * 100).toFixed(2)}% of the cap), mean ${mean.toFixed(1)} (${((mean / cap) * 100).toFixed(2)}%)`,
  );
  if (perSecond.length < 5)
    throw new Error(`${label}: only ${perSecond.length} whole seconds were counted; the run was too short to measure`);
  if (Math.max(...perSecond) > cap * 1.02)
    throw new Error(`${label}: a second held ${Math.max(...perSecond)} requests, above the cap of ${cap}`);
  if (Math.abs(median / cap - 1) > 0.02)
    throw new Error(`${label}: the median second held ${median} requests, not within 2% of the cap of ${cap}`);
}
