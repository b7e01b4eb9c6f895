// `loadworker run --processes N` end to end (the compiled binary, a counting server on loopback):
// the parent's totals against the server's count, the rate cap split across the children, the
// hooks once per process, Ctrl-C with every child gone afterwards, a child that dies, bad values.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { parseWithPrometheusClient, sampleValue } from "../support/prometheus.ts";
import { useE2e } from "../support/e2e.ts";
import { type CountingServer, alive, childrenOf, countingServer, freePort, tempDir } from "../support/procs.ts";
import { type RunResult, countsPerSecond, expectCapHeld, run, startRun, summaryCounts } from "../support/run-cli.ts";
import { waitFor } from "../support/wait.ts";

// A fresh counting server per run (freshServer): its log is then this run's requests only.
const e2e = useE2e({ tasks: "test/e2e/run-controls-tasks", server: false });

/** `run Ticker --processes P -u U -r U -T fast --host <server>` and the flags after: what every run here starts from. */
function tickerRun(server: CountingServer, processes: number, users: number, ...flags: string[]): string[] {
  return [
    "Ticker",
    "--processes",
    String(processes),
    "-u",
    String(users),
    "-r",
    String(users),
    "-T",
    "fast",
    "--host",
    server.url,
    ...flags,
  ];
}

async function freshServer(): Promise<CountingServer> {
  const s = await countingServer({ log: true });
  e2e.onStop(() => s.close());
  return s;
}

describe("run --processes 2", () => {
  const CAP = 200;
  const USERS = 6;
  let result: RunResult;
  let server: CountingServer;
  let report: RunReport;
  beforeAll(async () => {
    server = await freshServer();
    const dir = tempDir("run-procs");
    result = await run(e2e.binary, tickerRun(server, 2, USERS, "-t", "9s", "--max-rps", String(CAP), "--json", join(dir, "r.json")));
    report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunReport;
  }, 60_000);

  test("exits 0 and its summary's totals equal what the server counted, within the users in flight", () => {
    expect(result.code).toBe(0);
    const counts = summaryCounts(result.stdout);
    const served = server.counts.get("/tick") ?? 0;
    expect(served).toBeGreaterThan(0);
    expect(Math.abs((counts.get("GET /tick") ?? -1) - served)).toBeLessThanOrEqual(USERS);
    expect(Math.abs((counts.get("Aggregated") ?? -1) - served)).toBeLessThanOrEqual(USERS);
    expect(report.total.num_requests).toBe(counts.get("Aggregated") ?? -1);
    expect(report.config.processes).toBe(2);
    expect(report.history.some((p) => p.user_count === USERS)).toBe(true); // both children's users, summed
  });

  test("its final ratio counts both children's users and only the tasks the tags kept", () => {
    expect(report.task_ratio.total).toEqual({ Ticker: { ratio: 1, tasks: { tick: { ratio: 1 } } } });
  });

  test("splits --max-rps across the processes: together they hold the cap, the median second within 2 percent of it", () => {
    // The first two seconds are partial: the children start (and finish their hooks) a little apart.
    expectCapHeld(countsPerSecond(server.log, "/tick", 2), CAP, `run --processes 2 --max-rps ${CAP}`);
  });

  test("runs onTestStart and onTestStop once in each process, as Locust does per worker process", () => {
    expect(server.counts.get("/hook/start")).toBe(2);
    expect(server.counts.get("/hook/stop")).toBe(2);
    expect(result.stderr.split("\n").filter((l) => l.includes("all 3 users started")).length).toBe(2); // one per child
  });
});

describe("run --processes 2 --metrics-port", () => {
  test("the parent serves one /metrics with both children's users and requests", async () => {
    const server = await freshServer();
    const port = await freePort();
    const started = startRun(
      e2e.binary,
      tickerRun(server, 2, 4, "--max-rps", "50", "--metrics-port", String(port), "--metrics-host", "127.0.0.1"),
    );
    try {
      const families = await waitFor(
        async () => {
          const parsed = parseWithPrometheusClient(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
          const users = sampleValue(parsed, "loadworker_users", "loadworker_users", { user_class: "Ticker" });
          // Each child reports as it begins, before its first request: wait for both.
          const ticks = sampleValue(parsed, "loadworker_requests", "loadworker_requests_total", { name: "/tick", method: "GET" });
          return users === 4 && ticks !== undefined ? parsed : undefined;
        },
        30_000,
        "/metrics to show the 4 Ticker users of both children and their requests",
      );
      const counted = Number(sampleValue(families, "loadworker_requests", "loadworker_requests_total", { name: "/tick", method: "GET" }));
      expect(counted).toBeGreaterThan(0);
      expect(counted).toBeLessThanOrEqual(server.counts.get("/tick") ?? 0);
    } finally {
      started.signal("SIGTERM");
    }
    expect((await started.result).code).toBe(0);
  }, 60_000);
});

describe("run --processes: ending early", () => {
  test("SIGINT to the parent stops every child, still writes the summary and reports, and leaves no process behind", async () => {
    const server = await freshServer();
    const dir = tempDir("run-procs-int");
    const started = startRun(
      e2e.binary,
      tickerRun(server, 2, 4, "-t", "2m", "--max-rps", "100", "--json", join(dir, "r.json"), "--csv", join(dir, "r")),
    );
    const children = await waitFor(
      () => ((server.counts.get("/tick") ?? 0) > 50 && childrenOf(started.pid).length === 2 ? childrenOf(started.pid) : undefined),
      30_000,
      "both children to run",
    );
    started.signal("SIGINT");
    const result = await started.result;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("interrupted (Ctrl-C or SIGTERM)");
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.ended_by).toBe("interrupted");
    expect(existsSync(join(dir, "r_stats.csv"))).toBe(true);
    expect(server.counts.get("/hook/stop")).toBe(2); // each child stopped cleanly, hooks included
    for (const pid of children) expect(alive(pid)).toBe(false);
    const served = server.counts.get("/tick") ?? 0;
    expect(Math.abs(report.total.num_requests - served)).toBeLessThanOrEqual(4);
  }, 60_000);

  test("a child that dies ends the run: reported by pid, the others stopped, the reports written, exit 1", async () => {
    const server = await freshServer();
    const dir = tempDir("run-procs-kill");
    const started = startRun(e2e.binary, tickerRun(server, 2, 4, "-t", "2m", "--max-rps", "100", "--json", join(dir, "r.json")));
    const children = await waitFor(
      () => ((server.counts.get("/tick") ?? 0) > 20 && childrenOf(started.pid).length === 2 ? childrenOf(started.pid) : undefined),
      30_000,
      "both children to run",
    );
    const victim = children[0] as number;
    process.kill(victim, "SIGKILL");
    const result = await started.result;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`worker process [12]/2 \\(pid ${victim}\\) exited with signal SIGKILL during the run`));
    expect(result.stdout).toContain("a worker process exited (--processes)");
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.ended_by).toBe("process-exited");
    expect(report.total.num_requests).toBeGreaterThan(0);
    for (const pid of children) expect(alive(pid)).toBe(false);
  }, 60_000);
});

describe("run --processes with fewer users than processes", () => {
  test('-u 1 --processes 3: one line says so, the user runs in this process, and no process logs "all 0 users started"', async () => {
    const server = await freshServer();
    const dir = tempDir("run-procs-few");
    const started = startRun(e2e.binary, tickerRun(server, 3, 1, "-t", "3s", "--max-rps", "20", "--json", join(dir, "r.json")));
    await waitFor(() => (server.counts.get("/tick") ?? 0) > 0 || undefined, 30_000, "the user's first request");
    expect(childrenOf(started.pid)).toEqual([]);
    const result = await started.result;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("--processes 3 with -u 1: this process runs it (a process without a user would do nothing)");
    expect(result.stderr).not.toContain("all 0 users started");
    expect(result.stderr).toContain("all 1 users started");
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunReport;
    expect(report.config.processes).toBe(1);
    expect(server.counts.get("/hook/start")).toBe(1); // one process ran the test
  }, 60_000);

  test("-u 2 --processes 3: two children, one user each", async () => {
    const server = await freshServer();
    const started = startRun(e2e.binary, tickerRun(server, 3, 2, "-t", "4s", "--max-rps", "20"));
    const children = await waitFor(
      () => ((server.counts.get("/tick") ?? 0) > 0 && childrenOf(started.pid).length > 0 ? childrenOf(started.pid) : undefined),
      30_000,
      "the children to run",
    );
    expect(children.length).toBe(2);
    const result = await started.result;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("--processes 3 with -u 2: starting 2 processes, one user each");
    expect(result.stderr).not.toContain("all 0 users started");
    expect(result.stderr.split("\n").filter((l) => l.includes("all 1 users started")).length).toBe(2);
  }, 60_000);
});

describe("run --processes: bad values", () => {
  test.each([["0"], ["-2"], ["two"]])(
    "--processes %s is a usage error before any load (exit 2)",
    async (value) => {
      const server = await freshServer();
      const result = await run(e2e.binary, ["--processes", value, "-t", "2s", "--host", server.url]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("--processes must be a number of worker processes from 1 to 1024, or -1 for one per CPU core");
      expect(server.total()).toBe(0);
    },
    30_000,
  );
});
