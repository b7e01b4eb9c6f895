// Shared by the deploy tests: real processes, bounded waits, and a way to prove none is left.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dir, "../..");
export const read = (path: string) => readFileSync(join(root, path), "utf8");

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killing it (and failing) after timeoutMs. */
export async function run(cmd: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<Ran> {
  const proc = Bun.spawn(cmd, { cwd: root, stdout: "pipe", stderr: "pipe", stdin: "ignore", env: { ...process.env, ...env } });
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  if (proc.signalCode === "SIGKILL") throw new Error(`${cmd.join(" ")} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}

/** Live (non-zombie) processes whose command line mentions `text`, e.g. a test's own run dir. */
export function processesMentioning(text: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      const state = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ").pop()?.[0];
      if (cmd.includes(text) && state !== "Z") found.push({ pid: Number(entry), cmd });
    } catch {
      // the process ended while we looked: nothing to list
    }
  }
  return found;
}

export { alive } from "../support/procs.ts";

/** Fails loudly (never skips) when the machine lacks what the deploy tests need. */
export function requirePrerequisites(): void {
  const missing: string[] = [];
  if (!existsSync(join(root, "node_modules/.bin/bun"))) missing.push("node_modules (run: npm ci)");
  if (!existsSync(join(root, ".venv/bin/supervisord")) || !existsSync(join(root, ".venv/bin/locust"))) {
    missing.push(".venv with locust and supervisor (run: scripts/lib/venv.sh)");
  }
  if (!existsSync("/proc/self/stat")) missing.push("/proc (these tests check processes on Linux)");
  if (missing.length > 0) throw new Error(`deploy tests need: ${missing.join("; ")}`);
}
