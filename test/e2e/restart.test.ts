// A master that restarts gets the same worker process back, and a web-UI test runs on it.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type UiMaster, masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Hitter(User):\n    @task\n    def t(self):\n        pass\n";
const e2e = useE2e();

const workersIn = async (m: UiMaster, states: string[]) =>
  (await m.stats()).workers?.filter((w: { state: string }) => states.includes(w.state)).length ?? 0;
const readyWorkers = (m: UiMaster) => workersIn(m, ["ready"]);
// A master older than 2.19 cannot tell the worker it restarted (no heartbeat replies): the worker
// then registers again keeping its users (a network blip looks the same), so it may show "running".
const registeredWorkers = (m: UiMaster) => workersIn(m, ["ready", "running"]);

describe("a worker and a master that restarts", () => {
  test("runs a web-UI test, survives a master crash, and registers with the new master by itself", async () => {
    const first = await e2e.uiMaster({ locustfile: LOCUSTFILE });
    const worker = e2e.worker(["--master-port", String(first.masterPort)]);
    await waitFor(async () => (await readyWorkers(first)) === 1 || undefined, 20_000, "the worker to be ready on the first master");

    expect((await first.swarm({ user_count: 3, spawn_rate: 3, host: e2e.server.url })).success).toBe(true);
    const running = await waitFor(
      async () => {
        const s = await first.stats();
        const total = s.stats.at(-1);
        return s.user_count === 3 && total.num_requests > 50 && total.current_rps > 0 ? s : undefined;
      },
      20_000,
      "requests and a current RPS in the first master's stats",
      500,
    );
    expect(running.stats.find((r: { name: string }) => r.name === "/hit").num_failures).toBe(0);
    expect(running.workers[0].state).toBe("running");

    // Kill the master without a goodbye, start a new one on the same port.
    first.proc.kill("SIGKILL");
    await first.proc.exited;
    // Stay down past a stats interval: nothing the worker queued meanwhile may reach the new master.
    await new Promise((r) => setTimeout(r, 4000));
    const second = await e2e.uiMaster({ locustfile: LOCUSTFILE, masterPort: first.masterPort });
    await waitFor(
      async () => (await registeredWorkers(second)) === 1 || undefined,
      30_000,
      "the same worker process to register with the new master",
      500,
    );
    expect(worker.child.exitCode).toBeNull();

    await second.swarm({ user_count: 2, spawn_rate: 2, host: e2e.server.url });
    await waitFor(
      async () => ((await second.stats()).stats.at(-1).num_requests > 20 ? true : undefined),
      20_000,
      "requests on the new master",
      500,
    );
    const stopped = await second.stop();
    expect(stopped.success).toBe(true);
    await waitFor(
      async () => {
        const s = await second.stats();
        return s.user_count === 0 && s.workers[0]?.state === "ready" ? true : undefined;
      },
      20_000,
      "the worker back to ready after /stop",
      500,
    );

    worker.kill("SIGTERM");
    expect(await within(worker.exited, 5000, "the worker to exit on SIGTERM")).toBe(0);
    await waitFor(() => (second.proc.output().includes("quit") ? true : undefined), 5000, "the master to log the worker's quit");
    expect(masterComplaints(second.proc.output())).toEqual([]);
  }, 150_000);
});
