// `loadworker run` as a process: the compiled binary or src/main.ts under Bun, with stdout and
// stderr kept apart (the summary is stdout, logs are stderr) and every wait bounded.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BUN, ROOT, buildWorker } from "./procs.ts";
import { within } from "./wait.ts";

export const RUN_TASKS = join(ROOT, "test/e2e/run-tasks");

let build: Promise<string> | undefined;

/** test/e2e/run-tasks compiled once per test run. */
export function runBinary(): Promise<string> {
  build ??= buildWorker(RUN_TASKS, join(ROOT, ".build/loadworker-run"));
  return build;
}

/** How to start `loadworker run`: the binary, or the sources under Bun with the same tasks. */
export type Runner = { kind: "binary"; path: string } | { kind: "source" } | { kind: "deno" };

export function command(runner: Runner, args: readonly string[]): { cmd: string; argv: string[]; env: Record<string, string> } {
  if (runner.kind === "binary") return { cmd: runner.path, argv: ["run", ...args], env: {} };
  if (runner.kind === "deno") {
    return { cmd: join(ROOT, "node_modules/.bin/deno"), argv: ["run", "-A", join(ROOT, "src/main.ts"), "run", ...args], env: { LOADWORKER_TASKS_DIR: RUN_TASKS } };
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

export function startRun(runner: Runner, args: readonly string[]): StartedRun {
  const { cmd, argv, env } = command(runner, args);
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
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

export function run(runner: Runner, args: readonly string[]): Promise<RunResult> {
  return startRun(runner, args).result;
}

/**
 * Runs under a pseudo-terminal (util-linux `script`) of the given size; returns what the
 * terminal received (stdout and stderr together, as a user would see them). Asynchronous, so
 * a server in the test process keeps answering.
 */
export function runInTerminal(runner: Runner, args: readonly string[], size = { columns: 100, rows: 30 }): Promise<RunResult> {
  const { cmd, argv, env } = command(runner, args);
  const quoted = [cmd, ...argv].map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  const envs = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(" ");
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
