// A real Locust master frozen (SIGSTOP) for longer than the worker's heartbeat timeout, then
// woken (SIGCONT): the worker holds its stats while the master is silent, stops its users at
// the timeout but keeps their stats, registers again once the master wakes, and the master's
// count of requests equals what the target served. The worker's timeout is shortened through
// LOADWORKER_TIMING (Locust's is 60 s); the master's own timers do not run while it is frozen.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Hitter(User):\n    @task\n    def t(self):\n        pass\n";
const WORKER_TIMEOUT_MS = 8_000;
const FROZEN_MS = 14_000;

const e2e = useE2e();

/** Locust ≥ 2.19 answers heartbeats (docs/PROTOCOL.md); scripts/compat.sh may run this against older ones. */
function answersHeartbeats(masterOutput: string): boolean {
  const [major = 0, minor = 0] = (/Starting Locust (\d+)\.(\d+)/.exec(masterOutput)?.slice(1) ?? []).map(Number);
  return major > 2 || (major === 2 && minor >= 19);
}

const hits = (stats: { stats: Array<{ name: string; num_requests: number }> }) =>
  stats.stats.find((r) => r.name === "/hit")?.num_requests ?? 0;

describe("a master frozen past the worker's heartbeat timeout, then woken", () => {
  test("ends up with every request the worker made, and has the worker back", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE, extra: ["--stop-timeout", "5"] });
    const worker = e2e.worker(["--master-port", String(m.masterPort)], {
      env: { LOADWORKER_TIMING: JSON.stringify({ masterHeartbeatTimeoutMs: WORKER_TIMEOUT_MS, silentStopSeconds: 2 }) },
    });
    const w = worker;
    await m.readyWorkers("the worker to be ready", { ms: 20_000 });
    expect((await m.swarm({ user_count: 5, spawn_rate: 5, host: e2e.server.url })).success).toBe(true);
    await waitFor(async () => (hits(await m.stats()) > 50 ? true : undefined), 20_000, "requests to reach the master", 500);

    m.proc.kill("SIGSTOP");
    await new Promise((r) => setTimeout(r, FROZEN_MS));
    const servedWhileFrozen = e2e.server.counts.get("/hit") ?? 0;
    m.proc.kill("SIGCONT");
    const woke = Date.now();
    if (answersHeartbeats(m.proc.output()))
      await waitFor(
        () => ((w.output().match(/registered with the master/g) ?? []).length >= 2 ? true : undefined),
        30_000,
        "the worker to register again",
      );
    const registeredAfterMs = Date.now() - woke;

    // The master either took the test back up or, having called its only worker missing, stopped
    // it; either way, once stopped, its count must be the server's.
    await m.stop();
    const final = await m.readyWorkers("the test to be stopped and the worker ready", { stopped: true });
    await new Promise((r) => setTimeout(r, 4_000)); // a last report, if any, lands
    const served = e2e.server.counts.get("/hit") ?? 0;
    const counted = hits(await m.stats());
    console.log(
      `silent master: served ${served} (${servedWhileFrozen} by the end of the freeze), master counted ${counted}, registered again ${registeredAfterMs} ms after SIGCONT; master state ${final.state}`,
    );
    expect(counted).toBe(served);
    // Masters < 2.19 never answer heartbeats: the worker cannot hear their silence, and keeps
    // its one connection, whose buffered reports the master reads when it wakes.
    if (answersHeartbeats(m.proc.output())) {
      expect(w.output()).toContain("holding stats until it does");
      expect(w.output()).toContain("keeping their stats for the master");
    }
    expect(w.child.exitCode).toBeNull();
    w.kill("SIGTERM");
    expect(await within(w.exited, 10_000, "the worker to exit on SIGTERM")).toBe(0);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 150_000);
});
