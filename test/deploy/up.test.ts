// scripts/up.sh runs the image's layout on this host; this drives it like a user would: start it
// detached, swarm from the web API against the demo target, kill a worker, stop it, and prove that
// no process from the run is left. Real supervisord, Locust master and loadworker binaries.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { listeningAddresses } from "../support/listeners.ts";
import { freePort } from "../support/procs.ts";
import { NotYet, waitFor } from "../support/wait.ts";
import { alive, processesMentioning, requirePrerequisites, root, run } from "./helpers.ts";

interface Stats {
  state: string;
  user_count: number;
  workers: { id: string; state: string }[];
  stats: { name: string; num_requests: number; num_failures: number }[];
}

const runDir = mkdtempSync(join(tmpdir(), "lw-up-"));
const ports = { web: 0, master: 0, demo: 0 };
const seenPids = new Set<number>(); // everything this run started, to prove none outlives down.sh
const ui = () => `http://127.0.0.1:${ports.web}`;
const ctl = (...args: string[]) => run([join(root, ".venv/bin/supervisorctl"), "-c", join(runDir, "supervisord.conf"), ...args], 30_000);
const stats = async (): Promise<Stats> => {
  const res = await fetch(`${ui()}/stats/requests`);
  if (!res.ok) throw new Error(`/stats/requests answered ${res.status}`);
  return (await res.json()) as Stats;
};
// up.sh's default is one worker process per CPU core (loadworker --processes -1).
const cores = availableParallelism();
const readyWorkers = (s: Stats) => s.workers.filter((w) => w.state === "ready");
const summary = (s: Stats) =>
  new NotYet(
    `state ${s.state}, ${s.user_count} users, ${s.stats.at(-1)?.num_requests ?? 0} requests, workers ${JSON.stringify(s.workers.map((w) => [w.id, w.state]))}`,
  );
const threeFreePorts = async () => {
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(await freePort());
  const [web, master, demo] = [...picked];
  return ["--web-port", `${web}`, "--master-port", `${master}`, "--demo-port", `${demo}`];
};
const recordPids = () => {
  for (const p of processesMentioning(runDir)) seenPids.add(p.pid);
};

beforeAll(async () => {
  requirePrerequisites();
  const picked = new Set<number>();
  while (picked.size < 3) picked.add(await freePort());
  [ports.web, ports.master, ports.demo] = [...picked] as [number, number, number];
});

afterAll(async () => {
  // Clean up even when a test failed half-way: the script first, then anything by its pid.
  await run(["bash", "scripts/down.sh", "--run-dir", runDir, "--quiet"], 90_000).catch(() => undefined);
  for (const p of processesMentioning(runDir)) process.kill(p.pid, "SIGKILL");
  for (const pid of seenPids) if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(runDir, { recursive: true, force: true });
}, 120_000);

describe("scripts/up.sh --detach", () => {
  test("builds, starts the web UI and one worker per CPU core, and returns", async () => {
    const up = await run(
      [
        "bash",
        "scripts/up.sh",
        "--detach",
        "--web-port",
        `${ports.web}`,
        "--master-port",
        `${ports.master}`,
        "--demo-port",
        `${ports.demo}`,
        "--run-dir",
        runDir,
      ],
      300_000,
    );
    recordPids();
    expect(up.code, `up.sh failed:\n${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain(`loadworker is up: ${ui()}\n`);
    expect(up.stderr).toContain(`${cores} of ${cores} worker(s) ready`);
    const s = await waitFor(
      async () => {
        const current = await stats();
        return readyWorkers(current).length === cores ? current : summary(current);
      },
      60_000,
      `${cores} ready workers in /stats/requests`,
      500,
    );
    expect(s.workers.length).toBe(cores);
    recordPids();
  }, 330_000);

  test("pre-fills the web UI's host with the demo target", async () => {
    const page = await (await fetch(ui())).text();
    expect(page).toContain(`http://127.0.0.1:${ports.demo}`);
  }, 30_000);

  test("the master warns that the web UI is open, and its worker port listens on 127.0.0.1 only", () => {
    const log = readFileSync(join(runDir, "supervisord.log"), "utf8");
    expect(log.split("\n").filter((l) => l.includes(`the web UI on 127.0.0.1:${ports.web} is open`))).toHaveLength(1);
    expect(log).toContain("Set LOADWORKER_WEB_USER and LOADWORKER_WEB_PASSWORD to require a login");
    expect(listeningAddresses(ports.master)).toEqual(["127.0.0.1"]);
    expect(listeningAddresses(ports.web)).toEqual(["127.0.0.1"]);
  });

  test("swarms against the demo target: the master and the target both count the requests", async () => {
    const swarm = await fetch(`${ui()}/swarm`, {
      method: "POST",
      body: new URLSearchParams({ user_count: "4", spawn_rate: "4", host: `http://127.0.0.1:${ports.demo}` }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    const s = await waitFor(
      async () => {
        const current = await stats();
        return (current.stats.at(-1)?.num_requests ?? 0) > 0 && current.user_count === 4 ? current : summary(current);
      },
      60_000,
      "requests counted by the master",
      2_000,
    ); // /stats/requests is cached for 2 s
    expect(s.stats.at(-1)?.name).toBe("Aggregated");
    const target = (await (await fetch(`http://127.0.0.1:${ports.demo}/__stats`)).json()) as { total: number };
    expect(target.total).toBeGreaterThan(0);

    // Locust 2.47 takes POST /stop (GET answers 405).
    const stop = await fetch(`${ui()}/stop`, { method: "POST" });
    expect(((await stop.json()) as { success: boolean }).success).toBe(true);
    await waitFor(
      async () => {
        const current = await stats();
        return current.state === "stopped" && current.user_count === 0 && readyWorkers(current).length === cores ? true : summary(current);
      },
      60_000,
      "the test to stop with every worker ready again",
      2_000,
    );
    recordPids();
  }, 150_000);

  test("supervisord restarts the worker parent killed with SIGKILL: its old processes end, new ones join", async () => {
    const before = new Set((await stats()).workers.map((w) => w.id));
    const pidOf = async () => Number((await ctl("pid", "loadworker:loadworker_00")).stdout.trim());
    const victim = await pidOf();
    expect(victim).toBeGreaterThan(0);
    const children = processesMentioning(runDir)
      .filter((p) => p.cmd.includes("--processes") && p.pid !== victim)
      .map((p) => p.pid);
    expect(children.length).toBe(cores);
    process.kill(victim, "SIGKILL");
    const replacement = await waitFor(
      async () => {
        const pid = await pidOf();
        return pid > 0 && pid !== victim ? pid : new NotYet(`pid ${pid}`);
      },
      30_000,
      "supervisord to restart loadworker_00",
      500,
    );
    expect(alive(replacement)).toBe(true);
    seenPids.add(replacement);
    await waitFor(
      async () => {
        const current = await stats();
        const ready = readyWorkers(current);
        return ready.filter((w) => !before.has(w.id)).length === cores ? true : summary(current);
      },
      60_000,
      `${cores} new worker ids ready`,
      2_000,
    );
    expect(children.filter(alive)).toEqual([]); // the orphans quit by themselves
  }, 120_000);

  test("refuses a second run in the same dir while this one is up", async () => {
    const again = await run(["bash", "scripts/up.sh", "--detach", "--run-dir", runDir], 30_000);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("a run is already active");
  }, 60_000);

  test("scripts/down.sh stops everything and leaves no process behind", async () => {
    recordPids();
    const supervisord = Number(readFileSync(join(runDir, "supervisord.pid"), "utf8").trim());
    seenPids.add(supervisord);
    const programs = (await ctl("pid", "all")).stdout
      .split("\n")
      .map(Number)
      .filter((p) => p > 0);
    for (const pid of programs) seenPids.add(pid);
    expect(programs.length).toBe(3); // demo, locust, loadworker (its worker processes are its children)

    const down = await run(["bash", "scripts/down.sh", "--run-dir", runDir], 90_000);
    expect(down.code, down.stderr).toBe(0);
    expect([...seenPids].filter(alive)).toEqual([]);
    expect(processesMentioning(runDir)).toEqual([]);
    const again = await run(["bash", "scripts/down.sh", "--run-dir", runDir], 30_000);
    expect(again.stderr).toContain("nothing is running");
  }, 120_000);
});

describe("scripts/up.sh refuses bad input", () => {
  let blocker: Server | undefined;
  afterAll(async () => {
    await new Promise<void>((ok) => (blocker ? blocker.close(() => ok()) : ok()));
  });

  test("a taken web port: exits non-zero with a message, and starts nothing", async () => {
    blocker = createServer();
    await new Promise<void>((ok) => blocker?.listen(0, "127.0.0.1", ok));
    const address = blocker.address();
    const taken = typeof address === "object" && address ? address.port : 0;
    const otherDir = mkdtempSync(join(tmpdir(), "lw-up-taken-"));
    try {
      const up = await run(
        [
          "bash",
          "scripts/up.sh",
          "--detach",
          "--web-port",
          `${taken}`,
          "--master-port",
          `${await freePort()}`,
          "--demo-port",
          `${await freePort()}`,
          "--run-dir",
          otherDir,
        ],
        60_000,
      );
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain(`port ${taken} (web UI) is already in use`);
      expect(up.stderr).toContain("--web-port");
      expect(processesMentioning(otherDir)).toEqual([]);
    } finally {
      for (const p of processesMentioning(otherDir)) process.kill(p.pid, "SIGKILL");
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 90_000);

  test("a task that does not compile: exits non-zero naming the file, and starts nothing", async () => {
    const tasks = mkdtempSync(join(tmpdir(), "lw-up-tasks-"));
    const otherDir = mkdtempSync(join(tmpdir(), "lw-up-broken-"));
    try {
      writeFileSync(join(tasks, "broken.ts"), "export const broken = {\n  name: 'x',, \n};\n");
      const up = await run(
        ["bash", "scripts/up.sh", "--detach", "--tasks", tasks, "--run-dir", otherDir, ...(await threeFreePorts())],
        180_000,
      );
      expect(up.code).not.toBe(0);
      expect(up.stderr).toContain(join(tasks, "broken.ts"));
      expect(up.stdout).not.toContain("loadworker is up");
      expect(existsSync(join(otherDir, "supervisord.pid"))).toBe(false);
      expect(processesMentioning(otherDir)).toEqual([]);
    } finally {
      for (const p of processesMentioning(otherDir)) process.kill(p.pid, "SIGKILL");
      rmSync(tasks, { recursive: true, force: true });
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 200_000);

  test("no Python: exits non-zero saying what to install, and starts nothing", async () => {
    const otherDir = mkdtempSync(join(tmpdir(), "lw-up-nopy-"));
    try {
      const up = await run(["bash", "scripts/up.sh", "--detach", "--run-dir", otherDir, ...(await threeFreePorts())], 60_000, {
        PYTHON: "/nonexistent/python3",
      });
      expect(up.code).toBe(3);
      expect(up.stderr).toContain("/nonexistent/python3 not found. Install Python");
      expect(processesMentioning(otherDir)).toEqual([]);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 90_000);

  test("bad flag values: exits 2 naming the flag", async () => {
    const workers = await run(["bash", "scripts/up.sh", "--workers", "0"], 30_000);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain("--workers must be a positive integer, or -1");
    const port = await run(["bash", "scripts/up.sh", "--web-port"], 30_000);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--web-port needs a value");
    const tasks = await run(["bash", "scripts/up.sh", "--tasks", "/nonexistent-tasks"], 30_000);
    expect(tasks.code).toBe(2);
    expect(tasks.stderr.trim()).toBe("up.sh: error: --tasks /nonexistent-tasks is not a folder; give the folder of your task files (.ts)");
  }, 60_000);

  test("--help documents every flag", async () => {
    const help = await run(["bash", "scripts/up.sh", "--help"], 30_000);
    expect(help.code).toBe(0);
    for (const flag of ["--detach", "--web-port", "--workers", "--master-port", "--demo-port", "--run-dir", "--no-build"])
      expect(help.stdout).toContain(flag);
  }, 60_000);
});

describe("scripts/up.sh in the foreground (the default)", () => {
  const dir = mkdtempSync(join(tmpdir(), "lw-up-fg-"));
  afterAll(async () => {
    await run(["bash", "scripts/down.sh", "--run-dir", dir, "--quiet"], 90_000).catch(() => undefined);
    for (const p of processesMentioning(dir)) process.kill(p.pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test("runs until Ctrl-C, then stops everything it started", async () => {
    const up = Bun.spawn(["bash", "scripts/up.sh", "--run-dir", dir, ...(await threeFreePorts())], {
      cwd: root,
      stdin: "ignore",
      stdout: "ignore",
      stderr: "pipe",
    });
    let err = "";
    const decoder = new TextDecoder();
    const reader = up.stderr.getReader();
    const readUntil = async (text: string, timeoutMs: number) => {
      const timer = setTimeout(() => up.kill("SIGKILL"), timeoutMs);
      try {
        while (!err.includes(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`up.sh ended before printing '${text}':\n${err}`);
          err += decoder.decode(value, { stream: true });
        }
      } finally {
        clearTimeout(timer);
      }
    };
    await readUntil("Press Ctrl-C to stop everything.", 240_000);
    expect(processesMentioning(dir).length).toBeGreaterThanOrEqual(4); // supervisord, master, worker, demo
    up.kill("SIGINT");
    const killer = setTimeout(() => up.kill("SIGKILL"), 90_000);
    const code = await up.exited;
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(processesMentioning(dir)).toEqual([]);
  }, 360_000);
});
