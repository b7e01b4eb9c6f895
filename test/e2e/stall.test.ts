// A task that blocks the event loop for 5 s: the master hears no heartbeat and marks the worker
// missing (Locust's rule, ~4 s; the only worker missing, it stops the test), and the worker says
// what happened and which task did it, then carries on: the master hears from it again.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Blocker(User):\n    @task\n    def t(self):\n        pass\n";

const e2e = useE2e({ server: false });

describe("a task that blocks the event loop for 5 s", () => {
  test("gets a warning with the stall's length and the task, and the worker keeps serving", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE });
    const worker = e2e.worker(["--master-port", String(m.masterPort)]);
    await m.readyWorkers("the worker to be ready", { ms: 20_000 });
    expect((await m.swarm({ user_count: 1, spawn_rate: 1, host: "http://127.0.0.1:9" })).success).toBe(true);
    const w = worker;
    const warning = await waitFor(
      () => /the event loop was blocked for ([\d.]+)s[^\n]*/.exec(w.output()) ?? undefined,
      30_000,
      "the stall warning",
    );
    expect(Number(warning[1])).toBeGreaterThanOrEqual(4.5);
    expect(warning[0]).toContain('last task started: "block the loop"');
    expect(warning[0]).toContain("marks a worker missing");
    // Locust's side of it, as the README says: the master marks the worker missing during the
    // stall (and, as it was the only worker, stops the test); the worker is heard again after it.
    await waitFor(
      () => (/failed to send heartbeat, setting state to missing/.test(m.proc.output()) ? true : undefined),
      20_000,
      "the master to mark the worker missing",
    );
    await m.readyWorkers("the worker to be back as ready", { ms: 20_000 });
    expect(w.child.exitCode).toBeNull();
    w.kill("SIGTERM");
    expect(await within(w.exited, 10_000, "the worker to exit on SIGTERM")).toBe(0);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 120_000);
});
