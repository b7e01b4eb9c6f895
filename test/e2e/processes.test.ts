// End to end: `--processes N` against a real Locust master (from .venv): N whole workers, signals
// forwarded, a killed child restarted, no child outliving its parent, bad values refused, and
// no password from --host on a child's command line.
import { describe, expect, test } from "bun:test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { useE2e } from "../support/e2e.ts";
import { type UiMaster, masterComplaints } from "../support/master.ts";
import { type Proc, alive, childCmdlines, childrenOf } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const e2e = useE2e({ stop: "each" });

const masterPy = "from locust import User, task\n\nclass Hitter(User):\n    @task\n    def t(self):\n        pass\n";
type WorkerRow = { id: string; state: string; user_count: number };
const workers = async (m: UiMaster): Promise<WorkerRow[]> => (await m.stats()).workers ?? [];

/** A UI master and `loadworker --processes 2` attached to it, both stopped after the test. */
async function twoProcesses(): Promise<{ ui: UiMaster; worker: Proc }> {
  const ui = await e2e.uiMaster({ locustfile: masterPy });
  const worker = e2e.worker(["--master-port", String(ui.masterPort), "--processes", "2", "--loglevel", "debug"]);
  await waitFor(
    async () => ((await workers(ui)).filter((w) => w.state === "ready").length === 2 ? true : undefined),
    30_000,
    "two ready workers",
    250,
  );
  return { ui, worker };
}

describe("--processes against a real master", () => {
  test("N processes are N workers of the master, and each runs its share of the test", async () => {
    e2e.server.counts.clear();
    const run = await e2e.headlessMaster({ locustfile: masterPy, users: 4, spawnRate: 4, runTime: "5s", host: e2e.server.url, workers: 2 });
    const worker = e2e.worker(["--master-port", String(run.port), "--processes", "2"]);
    const result = await run.result();
    expect(await within(worker.exited, 15_000, "the parent to exit after the master's quit")).toBe(0);

    expect(masterComplaints(result.log)).toEqual([]);
    const ready = new Set([...result.log.matchAll(/(\S+) \(index \d+\) reported as ready/g)].map((m) => m[1]));
    expect(ready.size).toBe(2);
    expect(result.log).toContain("to 2 ready workers");
    const hit = result.rows.find((r) => r.name === "/hit");
    expect(hit!.requests).toBeGreaterThan(20);
    expect(hit!.failures).toBe(0);
    expect(worker.output()).toMatch(/\[process 1\/2\]/);
    expect(worker.output()).toMatch(/\[process 2\/2\]/);
  }, 120_000);

  test("SIGTERM to the parent: every worker sends quit to the master, and no process is left", async () => {
    const { ui, worker } = await twoProcesses();
    await ui.swarm({ user_count: 4, spawn_rate: 4, host: e2e.server.url });
    await waitFor(
      async () => ((await workers(ui)).filter((w) => w.state === "running").length === 2 ? true : undefined),
      20_000,
      "two running workers",
      250,
    );
    const children = childrenOf(worker.child.pid as number);
    expect(children).toHaveLength(2);
    worker.kill("SIGTERM");
    expect(await within(worker.exited, 15_000, "the parent to exit")).toBe(0);
    for (const pid of children) expect(alive(pid)).toBe(false);
    await waitFor(
      () => ((ui.proc.output().match(/Worker .* quit/g) ?? []).length >= 2 ? true : undefined),
      10_000,
      "the master to see both workers quit",
    );
  }, 120_000);

  test("a child killed with SIGKILL is restarted and joins the master again", async () => {
    const { ui, worker } = await twoProcesses();
    const before = await workers(ui);
    const [victim, survivor] = childrenOf(worker.child.pid as number);
    process.kill(victim!, "SIGKILL");
    const after = await waitFor(
      () => {
        const now = childrenOf(worker.child.pid as number);
        return now.length === 2 && !now.includes(victim!) ? now : undefined;
      },
      15_000,
      "a new child in place of the killed one",
    );
    expect(after).toContain(survivor!);
    expect(worker.output()).toMatch(/worker process \d\/2 \(pid \d+\) exited with signal SIGKILL; restarting it/);
    // The new child registers as a new worker (its own identity); the master may list the dead one as missing.
    await waitFor(
      async () => {
        const rows = await workers(ui);
        const fresh = rows.filter((w) => w.state === "ready" && !before.some((b) => b.id === w.id));
        return fresh.length === 1 ? true : undefined;
      },
      30_000,
      "the restarted worker to be ready at the master",
      250,
    );
  }, 120_000);

  test("the parent killed with SIGKILL leaves no child running for more than a few seconds", async () => {
    const { worker } = await twoProcesses();
    const children = childrenOf(worker.child.pid as number);
    expect(children).toHaveLength(2);
    worker.kill("SIGKILL");
    await waitFor(() => (children.every((pid) => !alive(pid)) ? true : undefined), 5_000, "the children to end by themselves");
  }, 120_000);

  test("--host with a password: no child's command line holds the host, the master host or the password, and the children authenticate", async () => {
    const auth = new Set<string>();
    const target = createServer((req, res) => {
      auth.add(req.headers.authorization ?? "none");
      res.end("ok");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    e2e.onStop(() => new Promise((r) => (target.closeAllConnections(), target.close(r))));
    const host = `http://u:secret@127.0.0.1:${(target.address() as AddressInfo).port}`;
    // No host from the master: the workers use their own --host.
    const run = await e2e.headlessMaster({ locustfile: masterPy, users: 2, spawnRate: 2, runTime: "4s", workers: 2 });
    const worker = e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(run.port), "--host", host, "--processes", "2"]);
    const cmdlines = await childCmdlines(
      worker.child.pid as number,
      2,
      () => auth.size > 0,
      "both children to run and a request to arrive",
    );
    for (const cmdline of cmdlines) {
      expect(cmdline).not.toContain("secret");
      expect(cmdline).not.toContain("--host");
      expect(cmdline).not.toContain("127.0.0.1");
      expect(cmdline).toContain(`--master-port ${run.port} --processes 2`); // the child's own command line, read while it ran
    }
    await run.result();
    expect(await within(worker.exited, 15_000, "the parent to exit after the master's quit")).toBe(0);
    expect([...auth]).toEqual([`Basic ${Buffer.from("u:secret").toString("base64")}`]);
  }, 120_000);

  for (const bad of ["0", "abc"]) {
    test(`--processes ${bad} is a usage error (exit 2) that says what is valid`, async () => {
      const worker = e2e.worker(["--processes", bad, "--master-port", "1"]);
      expect(await within(worker.exited, 10_000, "the worker to refuse")).toBe(2);
      expect(worker.output()).toContain("--processes must be a number of worker processes from 1 to 1024, or -1");
    });
  }
});
