// Real processes for end-to-end tests: the Locust master from .venv, loadworker binaries, and a
// counting HTTP server, free ports. Every wait is bounded; every process is killed in cleanup.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { waitFor, within } from "./wait.ts";

export const ROOT = resolve(import.meta.dir, "../..");
// LOADWORKER_LOCUST_VENV (a venv folder) runs the tests against another Locust install
// (scripts/compat.sh uses it for older masters); the default is the pinned .venv.
export const VENV_BIN = join(resolve(ROOT, process.env.LOADWORKER_LOCUST_VENV || ".venv"), "bin");
export const BUN = process.execPath;

export function requireVenv(): void {
  if (!existsSync(join(VENV_BIN, "locust"))) {
    throw new Error(`no Locust in ${VENV_BIN}: run scripts/lib/venv.sh (or npm test, which does) first`);
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `loadworker-${prefix}-`));
}

// A test's ports come from its shard's own block below the kernel's ephemeral range (32768–60999
// here): a port bound, released, then bound again by a master a second later could meanwhile be
// handed by the kernel to any process's listen(0) or outgoing connection (CI once lost a run to
// that), never a port below the range. Each shard (scripts/lib/run-tests.ts) has 1,000 of its
// own, taken in turn from a random start (the shard's next file starts elsewhere), skipping ports
// still bound (a previous file's process not yet gone). Four apart: `--processes N --metrics-port
// P` serves on P to P + N - 1, and the next port handed out must not be one of those.
const SHARD = Number(process.env.LOADWORKER_TEST_SHARD);
const BLOCK = Number.isInteger(SHARD) && SHARD >= 1 && SHARD <= 10 ? 20_000 + SHARD * 1_000 : 31_000;
const STEP = 4;
let nextPort = STEP * Math.floor(Math.random() * (1_000 / STEP));

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 1_000 / STEP; tries++) {
    const port = BLOCK + (nextPort % 1_000);
    nextPort += STEP;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${BLOCK}–${BLOCK + 999}: are processes of an earlier test run still listening?`);
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port that refuses connections: bound once, then released. */
export const refusedPort = freePort;

/** Running (a zombie no reaper has collected yet does not count: it does nothing any more). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The pids whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** A process's command line, its arguments joined by spaces (as `ps` shows it). */
export function cmdlineOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
}

/** The command lines of `count` children of `parent`, read while they run, once `ready()` holds too. */
export function childCmdlines(parent: number, count: number, ready: () => boolean, what: string): Promise<string[]> {
  return waitFor(
    () => {
      const pids = childrenOf(parent);
      return pids.length === count && ready() ? pids.map(cmdlineOf) : undefined;
    },
    30_000,
    what,
  );
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** `baseEnv` replaces this process's environment as the base that `env` adds to. */
export function startProc(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; baseEnv?: NodeJS.ProcessEnv; stdin?: boolean } = {},
): Proc {
  const stdin = opts.stdin ? "pipe" : "ignore";
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...(opts.baseEnv ?? process.env), ...opts.env },
    stdio: [stdin, "pipe", "pipe"],
  });
  live.add(child);
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => (live.delete(child), resolve(code ?? (signal ? 128 : 1)))),
  );
  return { child, output: () => out, exited, kill: (s = "SIGTERM") => void child.kill(s) };
}

/** Builds a loadworker binary from a tasks folder (the build the README describes). */
export async function buildWorker(tasksDir: string, outfile: string): Promise<string> {
  const p = startProc(BUN, [join(ROOT, "scripts/build.ts"), "--tasks", tasksDir, "--outfile", outfile]);
  const code = await within(p.exited, 120_000, "building loadworker");
  if (code !== 0) throw new Error(`build failed (${code}):\n${p.output()}`);
  return outfile;
}

/**
 * Where the tests' binaries go: one folder per parallel test process (scripts/test.sh numbers them
 * in LOADWORKER_TEST_SHARD), so two processes never write one file.
 */
export const BUILD_DIR = join(ROOT, ".build", process.env.LOADWORKER_TEST_SHARD ? `shard-${process.env.LOADWORKER_TEST_SHARD}` : "");

/** `.build/[shard-N/]loadworker-NAME`. */
export function testBinaryPath(name: string): string {
  return join(BUILD_DIR, `loadworker-${name}`);
}

const builds = new Map<string, Promise<string>>();

/**
 * A tasks folder (from the repository's root) compiled once per test process, after checking the
 * venv is there: test/e2e/tasks becomes .build/loadworker-test-e2e-tasks.
 */
export function workerBinary(tasks: string): Promise<string> {
  requireVenv();
  let build = builds.get(tasks);
  if (!build) {
    build = buildWorker(join(ROOT, tasks), testBinaryPath(tasks.replaceAll("/", "-")));
    builds.set(tasks, build);
  }
  return build;
}

/** The e2e tasks (test/e2e/tasks) compiled once per test run. */
export function e2eWorker(): Promise<string> {
  return workerBinary("test/e2e/tasks");
}

export interface CountingServer {
  url: string;
  counts: Map<string, number>;
  /** With `{ log: true }`: every request's path and the epoch second it arrived, in order. */
  log: { path: string; second: number }[];
  total(): number;
  close(): Promise<void>;
}

/** An HTTP server on loopback that counts every request it answers, by path. */
export async function countingServer(opts: { log?: boolean } = {}): Promise<CountingServer> {
  const counts = new Map<string, number>();
  const log: CountingServer["log"] = [];
  const server = createHttpServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (opts.log) log.push({ path, second: Math.floor(Date.now() / 1000) });
    const body = `hello from ${path}\n`;
    res.writeHead(path.startsWith("/fail") ? 500 : 200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    log,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
