// A unique feeder across the whole test: 3 loadworker workers × --processes 2 (6 worker processes)
// on a real Locust master running the master.py that `loadworker locustfile` writes (it hands out
// blocks of row numbers), and `run --processes 2` with the same file (process k takes rows k, k+2, …).
// The target counts the rows: none twice, none lost while users remain, and then the users stop.
import { beforeAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { type CountingServer, ROOT, buildWorker, startProc, tempDir, testBinaryPath } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const e2e = useE2e({ tasks: "test/e2e/feeder-tasks", stop: "each" });
const ROWS = 10_000;
let dataDir: string;

beforeAll(() => {
  dataDir = tempDir("feeder-rows"); // the workers start here: rows.csv is found in the working directory
  const lines = Array.from({ length: ROWS }, (_, i) => `${i},"user ${i}, the ${i}th"`);
  writeFileSync(join(dataDir, "rows.csv"), `id,name\n${lines.join("\n")}\n`);
});

/** Each row id's count at the target; the ids must be 0..ROWS-1, each once. */
function expectEachRowOnce(server: CountingServer): void {
  const ids = new Map<number, number>();
  for (const [path, n] of server.counts) {
    const match = /^\/row\/(\d+)$/.exec(path);
    expect(match, `unexpected request ${path}`).not.toBeNull();
    ids.set(Number(match?.[1]), n);
  }
  expect([...ids].filter(([, n]) => n !== 1)).toEqual([]); // no row twice
  expect(ids.size).toBe(ROWS); // none lost
  expect(Math.max(...ids.keys())).toBe(ROWS - 1);
  expect(server.total()).toBe(ROWS);
}

test("3 workers × --processes 2, unique order, 10,000 rows: each row used once, then every user stops", async () => {
  const target = e2e.server;
  const masterPy = execFileSync(e2e.bin, ["locustfile"], { cwd: dataDir, encoding: "utf8" });
  expect(masterPy).toContain("_loadworker_feeder_request"); // the unique feeder's master side came along
  const run = await e2e.headlessMaster({ locustfile: masterPy, users: 60, spawnRate: 60, runTime: "15s", host: target.url, workers: 6 });
  const workers = [0, 1, 2].map(() =>
    e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(run.port), "--processes", "2"], { cwd: dataDir }),
  );
  await waitFor(() => (target.total() >= ROWS ? true : undefined), 60_000, "the target to see 10,000 rows");
  const result = await run.result();
  expectEachRowOnce(target);
  expect(result.aggregated.requests).toBe(ROWS);
  expect(result.aggregated.failures).toBe(0);
  expect(result.exceptionsCsv.trim().split("\n").length, result.exceptionsCsv).toBe(1);
  // All 6 worker processes were in the test, drawing blocks of 100 from the master's one counter.
  expect(new Set([...result.log.matchAll(/Worker '([^']+)' \(index \d+\) quit/g)].map((m) => m[1])).size).toBe(6);
  const history = readFileSync(join(run.dir, "run_stats_history.csv"), "utf8").trim().split("\n");
  const column = (history[0] as string).replaceAll('"', "").split(",").indexOf("User Count");
  const counts = history.slice(1).map((line) => Number(line.split(",")[column]));
  expect(Math.max(...counts)).toBe(60);
  expect(counts.at(-1)).toBe(0); // all stopped once the rows ran out (StopUser)
  for (const p of workers) expect(await within(p.exited, 20_000, "a worker to exit after the master's quit")).toBe(0);
  expect(workers.map((p) => p.output()).join("\n")).not.toMatch(/ERROR|did not answer|threw/);
}, 180_000);

test("run --processes 2 with the same file: each row once (process k takes rows k, k+2, …)", async () => {
  const target = e2e.server;
  target.counts.clear();
  const run = e2e.worker(["run", "-u", "20", "-r", "20", "-t", "8s", "--processes", "2", "--host", target.url], {
    cwd: dataDir,
    env: { NO_COLOR: "1" },
  });
  expect(await within(run.exited, 60_000, "loadworker run")).toBe(0);
  expectEachRowOnce(target);
  expect(run.output()).toMatch(/Aggregated\s+10000\s+0\(0\.00%\)/);
}, 120_000);

test("the file carried into the binary by the build, and read from a --tasks folder at start", async () => {
  const target = e2e.server;
  const tasks = tempDir("feeder-carried");
  copyFileSync(join(ROOT, "test/e2e/feeder-tasks/rows.ts"), join(tasks, "rows.ts"));
  copyFileSync(join(dataDir, "rows.csv"), join(tasks, "rows.csv"));
  const elsewhere = tempDir("feeder-elsewhere"); // no rows.csv here: only the tasks' own copy can be read
  const args = ["run", "-u", "20", "-r", "20", "-t", "8s", "--host", target.url];
  // --tasks DIR: the folder's rows.csv, read at start.
  target.counts.clear();
  const fromFolder = e2e.worker([...args, "--tasks", tasks], { cwd: elsewhere, env: { NO_COLOR: "1" } });
  expect(await within(fromFolder.exited, 60_000, "loadworker run --tasks")).toBe(0);
  expectEachRowOnce(target);
  // Compiled in: the build carries rows.csv; the folder's copy is gone before the run.
  const binary = await buildWorker(tasks, testBinaryPath("feeder-carried"));
  rmSync(join(tasks, "rows.csv"));
  target.counts.clear();
  const own = startProc(binary, args, { cwd: elsewhere, env: { NO_COLOR: "1" } });
  e2e.onStop(() => own.kill("SIGKILL"));
  expect(await within(own.exited, 60_000, "the built binary's run")).toBe(0);
  expectEachRowOnce(target);
}, 240_000);
