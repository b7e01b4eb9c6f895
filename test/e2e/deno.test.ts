// The same runtime, uncompiled, under Deno: it must join a real master and report stats
// (the design keeps Bun-only code out of src/).
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { ROOT, startProc } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const DENO = join(ROOT, "node_modules/.bin/deno");
const e2e = useE2e({ tasks: false }); // the worker is src/main.ts under Deno, not a binary

describe("loadworker under Deno", () => {
  test("joins a real Locust master, runs the tasks and quits cleanly", async () => {
    const run = await e2e.headlessMaster({
      locustfile: "from locust import User, task\n\nclass Hitter(User):\n    @task\n    def t(self):\n        pass\n",
      users: 3,
      spawnRate: 3,
      runTime: "5s",
      host: e2e.server.url,
    });
    const worker = startProc(DENO, ["run", "-A", "src/main.ts", "--master-port", String(run.port)], {
      env: { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/tasks"), NO_COLOR: "1" },
    });
    e2e.onStop(() => worker.kill("SIGKILL"));
    const result = await run.result();
    expect(await within(worker.exited, 10_000, "the Deno worker to exit")).toBe(0);
    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code).toBe(0);
    const hit = result.rows.find((r) => r.name === "/hit");
    expect(hit?.requests).toBeGreaterThan(50);
    const served = e2e.server.counts.get("/hit") ?? 0;
    expect(served - hit!.requests).toBeGreaterThanOrEqual(0);
    expect(served - hit!.requests).toBeLessThanOrEqual(3);
  }, 120_000);
});
