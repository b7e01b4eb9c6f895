// Task exceptions as the master's Exceptions tab shows them: the compiled worker's tracebacks
// point into the task file (source maps), one error is one row however its user started, and
// reports beyond the worker's 10/s cap are said to be held back, in the tab and in the log.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Thrower(User):\n    @task\n    def t(self):\n        pass\n";

interface ExceptionRow {
  count: number;
  msg: string;
  traceback: string;
}

const e2e = useE2e();

describe("exceptions from a compiled worker under a real master", () => {
  test("read the task file's line, make one row per error, and say what the 10/s cap held back", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE });
    const worker = e2e.worker(["--master-port", String(m.masterPort)]);
    await m.readyWorkers("the worker to be ready", { ms: 20_000 });
    // Six users throwing every 0.1 s: about 60 exceptions a second, six times the cap.
    expect((await m.swarm({ user_count: 6, spawn_rate: 6, host: e2e.server.url })).success).toBe(true);
    const rows = await waitFor(
      async () => {
        const { exceptions } = (await (await fetch(`${m.url}/exceptions`)).json()) as { exceptions: ExceptionRow[] };
        return exceptions.some((e) => e.msg.startsWith("loadworker sent at most")) && exceptions.some((e) => e.count > 20)
          ? exceptions
          : undefined;
      },
      30_000,
      "the master to show the task's exceptions and the held-back row",
      1_000,
    );
    expect((await m.stop()).success).toBe(true);

    const boom = rows.filter((e) => e.msg.includes("boom from a task"));
    expect(boom).toHaveLength(1); // first tasks (run from the spawn) and later ones: one row
    expect(boom[0]?.traceback).toMatch(/^in throw\nError: boom from a task\n {4}at \S+ \(test\/e2e\/tasks\/e2e\.ts:24:\d+\)$/);
    const held = rows.find((e) => e.msg.startsWith("loadworker sent at most 10 exception reports per second"));
    expect(held?.traceback).toStartWith("not a task error");
    expect(worker.output()).toMatch(
      /exception reports held back: [\d,]+ over \d+s were not sent to the master .*Error\('boom from a task'\) in throw ×[\d,]+/,
    );
    expect(worker.output()).toContain("(test/e2e/tasks/e2e.ts:24:");
    expect(worker.output()).not.toContain("$bunfs");

    worker.kill("SIGTERM");
    expect(await within(worker.exited, 10_000, "the worker to exit on SIGTERM")).toBe(0);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 120_000);

  test("an abandoned user's late throw is not an exception: it would land in a later test's tab (Locust's killed greenlet reports nothing)", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE.replaceAll("Thrower", "Stubborn") });
    const worker = e2e.worker(["--master-port", String(m.masterPort)]);
    await m.readyWorkers("the worker to be ready", { ms: 20_000 });
    expect((await m.swarm({ user_count: 1, spawn_rate: 1, host: e2e.server.url })).success).toBe(true);
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    expect((await m.stop()).success).toBe(true); // stop_timeout 0: killed, then abandoned after the grace
    await waitFor(() => worker.output().includes("it was abandoned") || undefined, 10_000, "the user to be abandoned");
    // Its task's request comes 3 s after it started, on a closed client; a second later, the tab is still empty.
    await new Promise((r) => setTimeout(r, Math.max(0, started + 4_000 - Date.now())));
    const { exceptions } = (await (await fetch(`${m.url}/exceptions`)).json()) as { exceptions: ExceptionRow[] };
    expect(exceptions).toEqual([]);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 120_000);
});
