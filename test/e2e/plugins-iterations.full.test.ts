// locust-plugins 5.0.3's -i/--iterations with a real Locust 2.47 master (its own venv, made by
// scripts/lib/venv-plugins.sh): the limit reaches every worker in parsed_options, and each worker,
// loadworker and Python alike, runs exactly that many task runs of the test; a loadworker worker
// then quits, and alone it ends the test long before its run time.
import { beforeAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { masterComplaints } from "../support/master.ts";
import { useE2e } from "../support/e2e.ts";
import { demoTarget } from "../support/examples.ts";
import { ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

const e2e = useE2e({ tasks: "test/e2e/plugins-iterations-tasks", server: false });
const LIMIT = 25;
// The master's and the Python worker's locustfile: the same class and task name as the TypeScript one.
const LOCUSTFILE = `
import locust_plugins  # noqa: F401  (adds -i/--iterations)
from locust import HttpUser, constant, task


class Counter(HttpUser):
    wait_time = constant(0.05)

    @task
    def count(self):
        self.client.get("/py/count")
`;

let venv: string;
beforeAll(() => {
  venv = execFileSync(join(ROOT, "scripts/lib/venv-plugins.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}, 180_000);

test(`-i ${LIMIT}: a loadworker worker makes exactly ${LIMIT} task runs and quits, and the master then ends the test`, async () => {
  const target = await demoTarget();
  e2e.onStop(() => target.close());
  const started = Date.now();
  const run = await e2e.headlessMaster({
    locustfile: LOCUSTFILE,
    users: 2,
    spawnRate: 2,
    runTime: "60s",
    host: target.url,
    extra: ["-i", String(LIMIT)],
    venv,
  });
  const worker = e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(run.port)]);
  const result = await run.result();
  expect(await within(worker.exited, 20_000, "the loadworker worker to exit")).toBe(0);
  expect(Date.now() - started).toBeLessThan(40_000); // the worker ended it, not the 60 s run time
  expect((await target.served())["/lw/count"]).toBe(LIMIT);
  expect(worker.output()).toContain(`locust-plugins' iteration limit reached (-i ${LIMIT}`);
  expect(result.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(LIMIT);
  expect(masterComplaints(result.log)).toEqual([]);
}, 120_000);

// Beside a Python worker the limit holds for each, but when one worker quits first Locust's master
// hands its users to the other, and locust-plugins' Python worker may then not quit by itself: the
// run time ends that test.
test(`-i ${LIMIT} beside a Python worker: each makes exactly ${LIMIT} task runs`, async () => {
  const target = await demoTarget();
  e2e.onStop(() => target.close());
  const dir = tempDir("plugins-iterations");
  const locustfile = join(dir, "locustfile.py");
  writeFileSync(locustfile, LOCUSTFILE);
  const run = await e2e.headlessMaster({
    locustfile: LOCUSTFILE,
    users: 4,
    spawnRate: 4,
    runTime: "8s",
    host: target.url,
    workers: 2,
    extra: ["-i", String(LIMIT)],
    venv,
  });
  const worker = e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(run.port)]);
  const python = startProc(join(venv, "bin/locust"), ["-f", locustfile, "--worker", "--master-port", String(run.port)], { cwd: dir });
  e2e.onStop(() => python.kill("SIGKILL"));
  const result = await run.result();
  expect(await within(worker.exited, 20_000, "the loadworker worker to exit")).toBe(0);
  const served = await target.served();
  expect({ loadworker: served["/lw/count"], python: served["/py/count"] }).toEqual({ loadworker: LIMIT, python: LIMIT });
  expect(result.rows.reduce((sum, r) => sum + r.requests, 0)).toBe(2 * LIMIT);
  expect(masterComplaints(result.log)).toEqual([]);
}, 120_000);
