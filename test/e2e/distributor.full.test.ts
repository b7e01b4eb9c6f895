// A real Locust 2.47 master with locust-plugins 5.0.3's Distributor (its own venv, made by
// scripts/lib/venv-plugins.sh), two loadworker workers and one Python worker: 1,000 items, each
// used exactly once across all of them (the target counts the requests by item), and once the
// master's iterator is done every user stops cleanly (StopUser; no exception, no failure).
// Then examples/distributor as its README-style comment says to run it.
import { beforeAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { demoTarget } from "../support/examples.ts";
import { ROOT, startProc, tempDir, workerBinary } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const e2e = useE2e({ tasks: "test/e2e/distributor-tasks", stop: "each" });
const ITEMS = 1000;
// The Python side: the master's iterator is the items, then None for ever (locust-plugins has no
// end of its own: a bare iterator that ends leaves the asking user waiting); a Python user stops
// on None as loadworker's next() does (docs/TEST-DATA.md).
const LOCUSTFILE = `
import itertools
from locust import HttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import WorkerRunner
from locust_plugins.distributor import Distributor

distributors = {}


@events.init.add_listener
def _init(environment, **_kwargs):
    items = None if isinstance(environment.runner, WorkerRunner) else itertools.chain(range(${ITEMS}), itertools.repeat(None))
    distributors["items"] = Distributor(environment, items, "items")


class ItemUser(HttpUser):
    wait_time = constant(0.1)

    @task
    def use_item(self):
        item = next(distributors["items"])
        if item is None:
            raise StopUser()
        self.client.get(f"/py/item/{item}", name="/py/item/[id]")
`;

let venv: string;
beforeAll(() => {
  venv = execFileSync(join(ROOT, "scripts/lib/venv-plugins.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}, 180_000);

/** A Python worker from the plugins venv, stopped with the test. */
function pythonWorker(locustfile: string, port: number, cwd: string) {
  const p = startProc(join(venv, "bin/locust"), ["-f", locustfile, "--worker", "--master-port", String(port)], { cwd });
  e2e.onStop(() => p.kill("SIGKILL"));
  return p;
}

/** The master's "User Count" column, one value per second (run_stats_history.csv). */
function userCounts(dir: string): number[] {
  const history = readFileSync(join(dir, "run_stats_history.csv"), "utf8").trim().split("\n");
  const column = (history[0] as string).replaceAll('"', "").split(",").indexOf("User Count");
  return history.slice(1).map((line) => Number(line.split(",")[column]));
}

test("1,000 items from the master's Distributor, each used once by 2 loadworker workers and a Python worker; then the users stop", async () => {
  const target = e2e.server;
  const run = await e2e.headlessMaster({
    locustfile: LOCUSTFILE,
    users: 30,
    spawnRate: 30,
    runTime: "12s",
    host: target.url,
    workers: 3,
    venv,
  });
  const workers = [0, 1].map(() => e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(run.port)]));
  const dir = tempDir("py-worker");
  writeFileSync(join(dir, "locustfile.py"), LOCUSTFILE);
  const python = pythonWorker("locustfile.py", run.port, dir);
  await waitFor(() => (target.total() >= ITEMS ? true : undefined), 60_000, "the target to see 1,000 items");
  const result = await run.result();

  const ids = new Map<number, number>();
  for (const [path, n] of target.counts) {
    const match = /^\/(ts|py)\/item\/(\d+)$/.exec(path);
    expect(match, `unexpected request ${path}`).not.toBeNull();
    const id = Number(match?.[2]);
    ids.set(id, (ids.get(id) ?? 0) + n);
  }
  expect([...ids.values()].filter((n) => n !== 1)).toEqual([]); // none twice
  expect(ids.size).toBe(ITEMS); // none lost
  expect([...ids.keys()].every((id) => Number.isInteger(id) && id >= 0 && id < ITEMS)).toBe(true);
  // Both kinds of worker took part.
  expect([...target.counts.keys()].filter((p) => p.startsWith("/ts/")).length).toBeGreaterThan(0);
  expect([...target.counts.keys()].filter((p) => p.startsWith("/py/")).length).toBeGreaterThan(0);
  // The master counted exactly what the target served, without failures or exceptions: exhaustion is a clean StopUser.
  expect(result.aggregated.requests).toBe(ITEMS);
  expect(result.aggregated.failures).toBe(0);
  expect(result.exceptionsCsv.trim().split("\n").length, result.exceptionsCsv).toBe(1);
  expect([...workers, python].map((p) => p.output()).join("\n")).not.toMatch(/threw|did not answer|ERROR/);
  // The users stopped: the master's per-second history ends with no user left (all 30 reported stopped).
  const counts = userCounts(run.dir);
  expect(Math.max(...counts)).toBe(30);
  expect(counts.at(-1)).toBe(0);
  for (const p of workers) expect(await within(p.exited, 15_000, "a worker to exit after the master's quit")).toBe(0);
}, 150_000);

test("examples/distributor: master.py's CSVDictReader feeds a loadworker worker and a Python worker; one pass, then the users stop", async () => {
  const example = join(ROOT, "examples/distributor");
  const exampleBinary = await workerBinary("examples/distributor/tasks");
  const server = await demoTarget(); // the target master.py's header names: /api/items needs the login's token
  e2e.onStop(() => server.close());
  const run = await e2e.headlessMaster({
    locustfile: readFileSync(join(example, "master.py"), "utf8").replace(
      "os.path.dirname(os.path.abspath(__file__))",
      JSON.stringify(example),
    ),
    users: 6,
    spawnRate: 6,
    runTime: "6s",
    host: server.url,
    workers: 2,
    venv,
    env: { END_AFTER_ONE_PASS: "1" },
  });
  const ts = startProc(exampleBinary, ["--master-host", "127.0.0.1", "--master-port", String(run.port)]);
  e2e.onStop(() => ts.kill("SIGKILL"));
  pythonWorker(join(example, "master.py"), run.port, example);
  const result = await run.result();
  // customers.csv has 10 customers: each logged in and ordered once, then None stopped every user.
  const served = await server.served();
  expect(served["/login"]).toBe(10);
  expect(served["/api/items"]).toBe(10);
  expect(result.aggregated.failures).toBe(0); // every order sent its login's token
  expect(result.exceptionsCsv.trim().split("\n").length, result.exceptionsCsv).toBe(1);
  expect(ts.output()).toContain('users now: {"CustomerUser":3}');
  expect(await within(ts.exited, 15_000, "the worker to exit")).toBe(0);
}, 150_000);
