// Who may start a load test, in the image's supervisord layout (the same supervisord.conf, through
// scripts/up.sh or started directly as the image's CMD does): login and TLS from the environment,
// the worker port opened only on request, and bad settings stopping the whole start.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CERT, KEY, PASSWORD, USER, envWith } from "../support/access.ts";
import { accepts, listeningAddresses } from "../support/listeners.ts";
import { freePort } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { WebSession } from "../support/web-session.ts";
import { processesMentioning, requirePrerequisites, root, run } from "./helpers.ts";

const built = mkdtempSync(join(tmpdir(), "lw-access-app-"));
const dirs: string[] = [];

/** A run dir holding the one build of this file, for up.sh --no-build or a direct supervisord. */
function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lw-access-"));
  dirs.push(dir);
  cpSync(built, join(dir, "app"), { recursive: true });
  return dir;
}

async function distinctPorts(n: number): Promise<number[]> {
  const picked = new Set<number>();
  while (picked.size < n) picked.add(await freePort());
  return [...picked];
}

/** up.sh with only the given LOADWORKER_* settings (none of the machine's own), one worker process. */
async function up(dir: string, settings: Record<string, string>, timeoutMs = 180_000) {
  const [web, master, demo] = (await distinctPorts(3)) as [number, number, number];
  const args = [
    "bash",
    "scripts/up.sh",
    "--detach",
    "--no-build",
    "--run-dir",
    dir,
    "--web-port",
    `${web}`,
    "--master-port",
    `${master}`,
    "--demo-port",
    `${demo}`,
    "--workers",
    "1",
  ];
  const proc = Bun.spawn(args, { cwd: root, env: envWith(settings), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await within(
    Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]),
    timeoutMs,
    "up.sh",
  );
  return { code, stdout, stderr, web, master, demo };
}

beforeAll(async () => {
  requirePrerequisites();
  const build = await run(["bash", "scripts/lib/build.sh", "--out", built], 300_000);
  expect(build.code, build.stderr).toBe(0);
}, 330_000);

afterAll(async () => {
  for (const dir of dirs) {
    await run(["bash", "scripts/down.sh", "--run-dir", dir, "--quiet"], 90_000).catch(() => undefined);
    for (const p of processesMentioning(dir)) process.kill(p.pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
  rmSync(built, { recursive: true, force: true });
}, 200_000);

describe("scripts/up.sh with a login, TLS and LOADWORKER_MASTER_BIND=0.0.0.0", () => {
  let dir: string;
  let started: Awaited<ReturnType<typeof up>>;
  const settings = {
    LOADWORKER_WEB_USER: USER,
    LOADWORKER_WEB_PASSWORD: PASSWORD,
    LOADWORKER_TLS_CERT: CERT,
    LOADWORKER_TLS_KEY: KEY,
    LOADWORKER_MASTER_BIND: "0.0.0.0",
  };
  beforeAll(async () => {
    dir = runDir();
    started = await up(dir, settings);
  }, 200_000);

  test("starts, prints the https URL, and counts its worker through the login", () => {
    expect(started.code, `${started.stdout}\n${started.stderr}`).toBe(0);
    expect(started.stdout).toContain(`loadworker is up: https://127.0.0.1:${started.web}\n`);
    expect(started.stderr).toContain("1 of 1 worker(s) ready");
  });

  test("the worker port is open as asked; the web UI stays on loopback", () => {
    expect(listeningAddresses(started.master)).toEqual(["0.0.0.0"]);
    expect(listeningAddresses(started.web)).toEqual(["127.0.0.1"]);
  });

  test("the web UI answers only after logging in, and no log holds the password", async () => {
    const session = new WebSession(`https://127.0.0.1:${started.web}`, { tls: { rejectUnauthorized: false } });
    expect((await session.request("/stats/requests")).status).toBe(302);
    await session.login(USER, PASSWORD);
    const stats = (await (await session.request("/stats/requests")).json()) as { workers: unknown[] };
    expect(stats.workers.length).toBe(1);
    expect(readFileSync(join(dir, "supervisord.log"), "utf8")).not.toContain(PASSWORD);
  });
});

describe("bad settings stop scripts/up.sh before it starts anything", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["only the user", { LOADWORKER_WEB_USER: USER }, "LOADWORKER_WEB_USER is set but LOADWORKER_WEB_PASSWORD is not"],
    ["an empty password", { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD: "" }, "LOADWORKER_WEB_PASSWORD is empty"],
    [
      "an unreadable key",
      { LOADWORKER_TLS_CERT: CERT, LOADWORKER_TLS_KEY: "/nonexistent/key.pem" },
      "LOADWORKER_TLS_KEY=/nonexistent/key.pem cannot be read",
    ],
  ];
  test("a master.py built before the settings existed: exits 2 instead of serving an open web UI", async () => {
    const dir = runDir();
    writeFileSync(
      join(dir, "app/master.py"),
      "from locust import User, task\n\nclass DefaultUser(User):\n    @task\n    def t(self):\n        pass\n",
    );
    const result = await up(dir, { LOADWORKER_WEB_USER: USER, LOADWORKER_WEB_PASSWORD: PASSWORD });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("predates the LOADWORKER_* access settings and would ignore them. Run without --no-build.");
    expect(processesMentioning(dir)).toEqual([]);
  }, 200_000);

  for (const [what, settings, message] of cases) {
    test(`${what}: exits 2 with one message naming the setting`, async () => {
      const dir = runDir();
      const result = await up(dir, settings);
      expect(result.code).toBe(2);
      expect(result.stderr.split("\n").filter((l) => l.includes(message))).toHaveLength(1);
      expect(result.stderr).toContain("nothing was started");
      expect(existsSync(join(dir, "supervisord.pid"))).toBe(false);
      expect(processesMentioning(dir)).toEqual([]);
    }, 200_000);
  }
});

describe("the image's start (supervisord as CMD) with bad settings", () => {
  test("only LOADWORKER_WEB_USER: supervisord stops everything and exits, with one message", async () => {
    const dir = runDir();
    const [web, master, demo] = (await distinctPorts(3)) as [number, number, number];
    const conf = await run(
      [
        "bash",
        "-c",
        `scripts/lib/supervisord-conf.sh --app-dir ${dir}/app --run-dir ${dir} --web-port ${web} --master-port ${master} --demo-port ${demo} < supervisord.conf`,
      ],
      30_000,
    );
    writeFileSync(join(dir, "supervisord.conf"), conf.stdout);
    const venvBin = join(root, ".venv/bin");
    const env = envWith({ LOADWORKER_WEB_USER: USER, PATH: `${venvBin}:${process.env.PATH}`, PYTHONUNBUFFERED: "1" });
    // Into a file, appending, as docker's log pipe takes it: the programs reopen /dev/stdout, which
    // fails (ENXIO) on the socket Bun would give as a pipe.
    const logFile = join(dir, "supervisord.log");
    const command = `exec '${join(venvBin, "supervisord")}' -c '${join(dir, "supervisord.conf")}' >>'${logFile}' 2>&1`;
    const supervisord = Bun.spawn(["bash", "-c", command], { cwd: dir, env, stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    // Exits by itself: nothing keeps restarting a master that refuses its settings.
    await within(supervisord.exited, 90_000, "supervisord to stop by itself");
    const log = readFileSync(logFile, "utf8");
    expect(log.split("\n").filter((l) => l.includes("LOADWORKER_WEB_USER is set but LOADWORKER_WEB_PASSWORD is not"))).toHaveLength(1);
    expect(log).toContain("stopping everything supervisord started");
    expect(log.split("spawned: 'locust'").length - 1).toBe(1);
    expect(processesMentioning(dir)).toEqual([]);
    for (const port of [web, master, demo]) expect(await accepts(port)).toBe(false);
  }, 120_000);
});
