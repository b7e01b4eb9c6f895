// The open model under a real Locust 2.47 master: a class with `arrivalRate: 10`, 4 users from the
// web UI, so 40 iterations a second on the worker (from the sources under Bun), against a server
// that stalls for 2 s. The master's totals equal what the server counted; the iterations that
// found every user stuck in the stall are in its Failures tab as dropped, and those that waited
// for a user's onStart as late (method ITERATION), without touching the request totals.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DROPPED_ERROR, LATE_ERROR, SCHEDULE_METHOD } from "../../src/stats/index.ts";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { BUN, ROOT, startProc } from "../support/procs.ts";
import { type StallServer, stallServer } from "../support/stall-server.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Scheduled(User):\n    @task\n    def t(self):\n        pass\n";
const e2e = useE2e({ tasks: false, server: false });
let server: StallServer;
beforeAll(async () => {
  server = await stallServer({ stallMs: 2_000, periodMs: 60_000, firstStallAfterMs: 4_000 });
});
afterAll(() => server.close());

interface ErrorRow {
  method: string;
  name: string;
  error: string;
  occurrences: number;
}

describe("an open-model class (arrivalRate) under a real Locust master", () => {
  test("the master's totals match the server, and dropped and late iterations are in its Failures tab", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE });
    const worker = startProc(BUN, [
      join(ROOT, "src/main.ts"),
      "--tasks",
      join(ROOT, "test/e2e/open-master-tasks"),
      "--master-port",
      String(m.masterPort),
    ]);
    e2e.onStop(() => worker.kill("SIGKILL"));
    await m.readyWorkers("the worker to be ready");
    expect((await m.swarm({ user_count: 4, spawn_rate: 4, host: server.url })).success).toBe(true);
    // Past the stall (4 s to 6 s of the server's life) and a second more.
    await waitFor(() => (Date.now() - server.startedAt > 7_500 ? true : undefined), 20_000, "the stall to pass", 250);
    const first = server.arrivals[0] ?? 0;
    expect((await m.stop()).success).toBe(true);
    const last = server.arrivals.at(-1) ?? 0;
    // The worker's last report comes within its 3 s interval: wait for the totals to settle.
    const stats = await waitFor(
      async () => {
        const s = await m.stats();
        const total = s.stats.find((r: { name: string }) => r.name === "Aggregated")?.num_requests ?? 0;
        return server.arrivals.length - total <= 4 ? s : undefined; // at most the 4 users' requests killed in flight
      },
      15_000,
      "the master's totals to reach the server's count",
      500,
    );
    const errors = stats.errors as ErrorRow[];
    const row = (error: string) => errors.find((e) => e.method === SCHEDULE_METHOD && e.name === "Scheduled" && e.error === error);
    const dropped = row(DROPPED_ERROR)?.occurrences ?? 0;
    // 4 users stuck for 2 s while 40 a second came due: about 76 found none free.
    expect(dropped).toBeGreaterThanOrEqual(50);
    // What was due over the run is what the server saw plus what was dropped (a second of slack at the ends).
    const due = ((last - first) / 1_000) * 40;
    expect(Math.abs(server.arrivals.length + dropped - due)).toBeLessThanOrEqual(45);
    // The first iterations waited for the users' 300 ms onStart.
    expect(row(LATE_ERROR)?.occurrences ?? 0).toBeGreaterThanOrEqual(1);
    // The request rows are the requests alone: no ITERATION row among the stats.
    expect(stats.stats.some((r: { method: string }) => r.method === SCHEDULE_METHOD)).toBe(false);
    worker.kill("SIGTERM");
    expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 90_000);
});
