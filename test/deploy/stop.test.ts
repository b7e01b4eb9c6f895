// Stopping the host layout the ways it really gets stopped: TERM to up.sh's whole process group
// (what `timeout`, CI runners and systemd send), supervisord dying before its programs, and
// scripts/down.sh after that. Whoever dies first, every program of the run must end and every
// port must be free, and the closing message must say only what was checked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../support/procs.ts";
import { NotYet, waitFor } from "../support/wait.ts";
import { alive, processesMentioning, requirePrerequisites, root, run } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "lw-stop-"));
const ports: number[] = [];
const seen = new Set<number>(); // every pid of the run, to prove none outlives the stop

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });
const flags = () => ["--run-dir", dir, "--web-port", `${ports[0]}`, "--master-port", `${ports[1]}`, "--demo-port", `${ports[2]}`];
const supervisordPid = () => Number(readFileSync(join(dir, "supervisord.pid"), "utf8").trim());
const record = () => {
  for (const p of processesMentioning(dir)) seen.add(p.pid);
};

/** What must hold after any stop: no process of the run, no port of the run in use. */
async function expectNothingLeft(): Promise<void> {
  expect(processesMentioning(dir)).toEqual([]);
  expect([...seen].filter(alive)).toEqual([]);
  for (const port of ports) expect({ port, free: await portFree(port) }).toEqual({ port, free: true });
}

/** up.sh in the foreground, in its own process group as under `timeout` or a CI runner. */
function foreground(extra: string[]) {
  const child: ChildProcess = spawn("bash", ["scripts/up.sh", ...flags(), ...extra], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    pid: child.pid as number,
    stderr: () => stderr,
    exited,
    up: () =>
      Promise.race([
        waitFor(
          () => (stderr.includes("Press Ctrl-C to stop everything.") ? true : new NotYet(stderr.slice(-300))),
          240_000,
          "up.sh to say it is up",
          250,
        ),
        exited.then((code) => Promise.reject(new Error(`up.sh exited ${code} before it was up:\n${stderr}`))),
      ]),
    ended: (ms: number) =>
      Promise.race([
        exited,
        Bun.sleep(ms).then(
          () => (
            process.kill(-(child.pid as number), "SIGKILL"), Promise.reject(new Error(`up.sh still running after ${ms} ms:\n${stderr}`))
          ),
        ),
      ]),
  };
}

beforeAll(async () => {
  requirePrerequisites();
  while (ports.length < 3) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
});

afterAll(async () => {
  await run(["bash", "scripts/down.sh", "--run-dir", dir, "--quiet"], 90_000).catch(() => undefined);
  for (const p of processesMentioning(dir)) process.kill(p.pid, "SIGKILL");
  for (const pid of seen) if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe("stopping scripts/up.sh", () => {
  test("TERM to its whole process group stops every program and frees every port before it says so", async () => {
    const up = foreground([]);
    await up.up();
    record();
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(4); // supervisord, master, worker, demo
    process.kill(-up.pid, "SIGTERM");
    await up.ended(90_000);
    record();
    await expectNothingLeft();
    expect(up.stderr()).toContain("stopped; nothing from this run is running");
  }, 360_000);

  test("supervisord killed outright: up.sh stops the programs it left and exits non-zero", async () => {
    const up = foreground(["--no-build"]);
    await up.up();
    record();
    process.kill(supervisordPid(), "SIGKILL");
    const code = await up.ended(90_000);
    record();
    await expectNothingLeft();
    expect(code).not.toBe(0);
    expect(up.stderr()).toContain("supervisord exited unexpectedly");
    expect(up.stderr()).toContain("nothing from this run is running");
  }, 360_000);

  test("scripts/down.sh after supervisord of a detached run was killed: stops the orphans, then says so", async () => {
    const up = await run(["bash", "scripts/up.sh", "--detach", "--no-build", ...flags()], 240_000);
    expect(up.code, up.stderr).toBe(0);
    record();
    process.kill(supervisordPid(), "SIGKILL");
    await waitFor(() => !alive(supervisordPid()), 10_000, "supervisord to be gone");
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(3); // its programs, orphaned
    const down = await run(["bash", "scripts/down.sh", "--run-dir", dir], 90_000);
    record();
    await expectNothingLeft();
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).not.toContain("nothing is running in");
    expect(down.stderr).toContain("nothing from");
  }, 360_000);
});
