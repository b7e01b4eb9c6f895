// A unique feeder across the whole test: 3 loadworker workers × --processes 2 (6 worker processes)
// on a real Locust master running the master.py that `loadworker locustfile` writes (it hands out
// blocks of row numbers), and `run --processes 2` with the same file (process k takes rows k, k+2, …).
// The target counts the rows: none twice, none lost while users remain, and then the users stop.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startHeadlessMaster } from "../support/master.ts";
import { type CountingServer, type Proc, ROOT, buildWorker, countingServer, startProc, tempDir } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const ROWS = 10_000;
let binary: string;
let dataDir: string;
let target: CountingServer;
const procs: Proc[] = [];

beforeAll(async () => {
  binary = await buildWorker(join(ROOT, "test/e2e/feeder-tasks"), join(ROOT, ".build/loadworker-feeder"));
  dataDir = tempDir("feeder-rows");
  const lines = Array.from({ length: ROWS }, (_, i) => `${i},"user ${i}, the ${i}th"`);
  writeFileSync(join(dataDir, "rows.csv"), `id,name\n${lines.join("\n")}\n`);
}, 180_000);

afterAll(async () => {
  for (const p of procs) p.kill("SIGKILL");
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
}

test("3 workers × --processes 2, unique order, 10,000 rows: each row used once, then every user stops", async () => {
  target = await countingServer();
  try {
    const masterPy = execFileSync(binary, ["locustfile"], { cwd: dataDir, encoding: "utf8" });
    expect(masterPy).toContain("_loadworker_feeder_request"); // the unique feeder's master side came along
    const run = await startHeadlessMaster({ locustfile: masterPy, users: 60, spawnRate: 60, runTime: "15s", host: target.url, workers: 6 });
    for (let i = 0; i < 3; i++) {
      procs.push(
        startProc(binary, ["--master-host", "127.0.0.1", "--master-port", String(run.port), "--processes", "2"], { cwd: dataDir }),
      );
    }
    await waitFor(() => (target.total() >= ROWS ? true : undefined), 60_000, "the target to see 10,000 rows");
    const result = await run.result();
    expectEachRowOnce(target);
    expect(target.total()).toBe(ROWS);
    expect(result.aggregated.requests).toBe(ROWS);
    expect(result.aggregated.failures).toBe(0);
    expect(result.exceptionsCsv.trim().split("\n").length, result.exceptionsCsv).toBe(1);
    // All 6 worker processes were in the test, drawing blocks of 100 from the master's one counter.
    expect(new Set([...result.log.matchAll(/Worker '([^']+)' \(index \d+\) quit/g)].map((m) => m[1])).size).toBe(6);
    const history = readFileSync(join(run.dir, "run_stats_history.csv"), "utf8").trim().split("\n");
    const userCount = (history[0] as string).replaceAll('"', "").split(",").indexOf("User Count");
    const counts = history.slice(1).map((line) => Number(line.split(",")[userCount]));
    expect(Math.max(...counts)).toBe(60);
    expect(counts.at(-1)).toBe(0); // all stopped once the rows ran out (StopUser)
    for (const p of procs) expect(await within(p.exited, 20_000, "a worker to exit after the master's quit")).toBe(0);
    expect(procs.map((p) => p.output()).join("\n")).not.toMatch(/ERROR|did not answer|threw/);
  } finally {
    await target.close();
  }
}, 180_000);

test("run --processes 2 with the same file: each row once (process k takes rows k, k+2, …)", async () => {
  target = await countingServer();
  try {
    const run = startProc(binary, ["run", "-u", "20", "-r", "20", "-t", "8s", "--processes", "2", "--host", target.url], {
      cwd: dataDir,
      env: { NO_COLOR: "1" },
    });
    procs.push(run);
    expect(await within(run.exited, 60_000, "loadworker run")).toBe(0);
    expectEachRowOnce(target);
    expect(target.total()).toBe(ROWS);
    expect(run.output()).toMatch(/Aggregated\s+10000\s+0\(0\.00%\)/);
  } finally {
    await target.close();
  }
}, 120_000);
