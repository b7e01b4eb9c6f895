// Paths whose wire details changed across Locust releases (docs/PROTOCOL.md, Version differences): failed
// requests in the errors map (first_seen/last_seen only ≥ 2.44, string errors repr'd ≤ 2.27), a
// numeric --stop-timeout in the spawn (int on 2.12, float since 2.13), and a web-UI stop/restart
// of a test on the same worker. Run against older masters with scripts/compat.sh.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type UiMaster, masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const e2e = useE2e({ tasks: "test/e2e/compat-tasks" });

const masterPy = [
  "from locust import User, task",
  ...["Failer", "Sleeper"].map((name) => `class ${name}(User):\n    @task\n    def t(self):\n        pass\n`),
].join("\n\n");

describe("version-sensitive paths against a real Locust master", () => {
  test("failed requests reach the failures output and a numeric --stop-timeout is accepted, headless", async () => {
    e2e.server.counts.clear();
    const run = await e2e.headlessMaster({
      locustfile: masterPy,
      users: 4,
      spawnRate: 4,
      runTime: "6s",
      host: e2e.server.url,
      extra: ["--stop-timeout", "2", "--exit-code-on-error", "0"],
    });
    const worker = e2e.worker(["--master-port", String(run.port)]);
    const result = await run.result();
    expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);

    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code).toBe(0);
    const fail = result.rows.find((r) => r.name === "/fail");
    const ok = result.rows.find((r) => r.name === "/ok");
    expect(fail!.requests).toBeGreaterThan(5);
    expect(fail!.failures).toBe(fail!.requests);
    expect(ok!.failures).toBe(0);
    expect(result.aggregated.failures).toBe(fail!.failures);
    expect(result.failuresCsv).toContain("/fail");
    // One error row: every report's delta for the same (method, name, error) merged into it.
    const failRows = result.failuresCsv
      .trim()
      .split("\n")
      .filter((l) => l.includes("/fail"));
    expect(failRows).toHaveLength(1);
    expect(failRows[0]).toContain(String(fail!.failures));
  }, 120_000);

  test("web UI: a test with --stop-timeout stops gracefully, and a second test runs on the same worker", async () => {
    const ui: UiMaster = await e2e.uiMaster({ locustfile: masterPy, extra: ["--stop-timeout", "3"] });
    const worker = e2e.worker(["--master-port", String(ui.masterPort)]);
    await ui.readyWorkers("the worker to be ready", { ms: 20_000 });
    for (const round of [1, 2]) {
      expect((await ui.swarm({ user_count: 4, spawn_rate: 4, host: e2e.server.url })).success).toBe(true);
      await waitFor(
        async () => {
          const s = await ui.stats();
          return s.user_count === 4 && s.stats.find((r: { name: string }) => r.name === "/slow")?.num_requests > 3 ? true : undefined;
        },
        20_000,
        `requests in test ${round}`,
        500,
      );
      expect((await ui.stop()).success).toBe(true);
      await waitFor(
        async () => {
          const s = await ui.stats();
          return s.user_count === 0 && s.state === "stopped" && s.workers[0]?.state === "ready" ? true : undefined;
        },
        20_000,
        `the worker back to ready after stop ${round}`,
        500,
      );
    }
    const s = await ui.stats();
    const fail = s.stats.find((r: { name: string }) => r.name === "/fail");
    expect(fail.num_failures).toBeGreaterThan(0);
    expect(s.errors.length).toBeGreaterThan(0);
    worker.kill("SIGTERM");
    expect(await within(worker.exited, 5000, "the worker to exit on SIGTERM")).toBe(0);
    await waitFor(() => (ui.proc.output().includes("quit") ? true : undefined), 5000, "the master to log the worker's quit");
    expect(masterComplaints(ui.proc.output())).toEqual([]);
    ui.proc.kill("SIGTERM");
    await within(ui.proc.exited, 10_000, "the master to exit");
  }, 150_000);
});
