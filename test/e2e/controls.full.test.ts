// The controls a Locust user reaches for, against a real master (.venv, Locust 2.47): custom
// messages both ways with master.py handlers, test hooks, the Logs tab, web UI class edits and
// the class picker, --tags, fixed_count across two workers, and /metrics.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type UiMaster, masterComplaints } from "../support/master.ts";
import { type Proc, freePort } from "../support/procs.ts";
import { parseWithPrometheusClient, sampleValue } from "../support/prometheus.ts";
import { waitFor } from "../support/wait.ts";
import { controlsMasterPy, statRows } from "./controls-support.ts";

const e2e = useE2e({ tasks: "test/e2e/controls-tasks", server: false, stop: "each" });

function uiMaster(extra: string[]): Promise<UiMaster> {
  return e2e.uiMaster({ locustfile: controlsMasterPy(e2e.bin), extra });
}

async function worker(masterPort: number, extra: string[] = []): Promise<Proc> {
  return e2e.worker(["--master-port", String(masterPort), ...extra]);
}

// `workers` is in /stats/requests on every version we cover (`worker_count` only from 2.3x).
const workersReady = (master: UiMaster, n: number) =>
  waitFor(async () => ((await master.stats()).workers?.length === n ? true : undefined), 30_000, `${n} worker(s) to register`);
const count = (text: string, needle: string) => text.split(needle).length - 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("custom messages, test hooks and the Logs tab", () => {
  test("a round trip with master.py handlers; hooks once per test; worker lines in GET /logs; bad cases logged once", async () => {
    const master = await uiMaster(["Messenger"]);
    const w = await worker(master.masterPort);
    await workersReady(master, 1);

    await master.swarm({ user_count: 1, spawn_rate: 1, host: "" });
    // master → worker "ping" (master.py's test_start handler) → worker's onMessage answers "pong".
    await waitFor(() => (/got pong 42 from worker 0/.test(master.proc.output()) ? true : undefined), 20_000, "the master's pong handler");
    // A task's sendMessage reaches the master's handler.
    await waitFor(
      () => (/got task_hello from worker 0/.test(master.proc.output()) ? true : undefined),
      20_000,
      "the master's task_hello handler",
    );
    // A second spawn within the same test does not start the test again.
    await master.swarm({ user_count: 2, spawn_rate: 2, host: "" });
    // The bad cases (a throwing handler, a type nobody registered, unencodable data) did not stop the worker.
    await waitFor(
      async () => ((await statRows(master)).find((r) => r.name === "said hello")?.num_requests ?? 0) > 10 || undefined,
      20_000,
      "tasks to run on",
    );
    // The Logs tab: masters >= 2.29 send spawning_complete, and then get the worker's lines every 10 s.
    const logs = await waitFor(
      async () => {
        const body = (await (await fetch(`${master.url}/logs`)).json()) as { workers: Record<string, string[]> };
        const lines = Object.values(body.workers).flat();
        return lines.some((l) => l.includes("got ping 42")) && lines.some((l) => l.includes("onTestStart ran")) ? lines : undefined;
      },
      30_000,
      "the worker's lines in the master's GET /logs",
      500,
    );
    expect(logs.find((l) => l.includes("got ping 42"))).toMatch(
      /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] [^/]+\/INFO\/loadworker: got ping 42$/,
    );

    await master.stop();
    await waitFor(() => (w.output().includes("onTestStop ran") ? true : undefined), 20_000, "onTestStop");
    // A second test: its own start and stop, and the master's messages again.
    await master.readyWorkers("the worker ready again after the first test", { stopped: true });
    await master.swarm({ user_count: 1, spawn_rate: 1, host: "" });
    await waitFor(() => (count(master.proc.output(), "got pong 42") === 2 ? true : undefined), 20_000, "the second test's pong");
    await master.stop();
    await waitFor(() => (count(w.output(), "onTestStop ran") === 2 ? true : undefined), 20_000, "the second onTestStop");

    const out = w.output();
    expect(count(out, "onTestStart ran")).toBe(2);
    expect(count(out, "onTestStop ran")).toBe(2);
    // Four "boom"s and four "nobody_listens" over two tests, many unencodable sends: one line each.
    expect(count(out, 'the onMessage handler for "boom" threw')).toBe(1);
    expect(count(out, 'the master sent a message of type "nobody_listens"')).toBe(1);
    expect(count(out, 'sendMessage("unencodable"): the data cannot be sent')).toBe(1);
    expect((await statRows(master)).find((r) => r.name === "said hello")?.num_failures).toBe(0);
    expect(masterComplaints(master.proc.output())).toEqual([]);
  }, 120_000);
});

describe("web UI class edits and the class picker", () => {
  test("update_user_class from the web UI's API changes what new users do; the picker's class is the only one run", async () => {
    const master = await uiMaster(["--class-picker"]);
    await worker(master.masterPort);
    await workersReady(master, 1);
    await master.swarm({ user_count: 1, spawn_rate: 1, host: "", user_classes: "Editable" });
    const rowsOf = async (method: string) =>
      (await statRows(master))
        .filter((r) => r.method === method)
        .map((r) => r.name)
        .sort();
    await waitFor(async () => ((await rowsOf("u1")).length === 2 ? true : undefined), 20_000, "user 1 to run both tasks");

    // The web UI's user class editor posts this JSON; the master forwards it to the workers.
    const edit = await fetch(`${master.url}/user`, {
      method: "POST",
      body: JSON.stringify({ user_class_name: "Editable", tasks: ["second"], weight: 1, fixed_count: 0, host: "" }),
    });
    expect(edit.status).toBe(201);
    await sleep(500);
    await master.swarm({ user_count: 2, spawn_rate: 2, host: "", user_classes: "Editable" });
    await waitFor(async () => ((await rowsOf("u2")).length > 0 ? true : undefined), 20_000, "user 2 to run");
    await sleep(1_500); // user 2 gets ~30 chances to pick "first" if it could
    expect(await rowsOf("u2")).toEqual(["second"]);
    expect(await rowsOf("u1")).toEqual(["first", "second"]); // running users keep theirs, as in Locust
    // Only the picked class ran (the others record tick, fast, start, ... rows).
    const methods = new Set((await statRows(master)).map((r) => r.method));
    expect([...methods].sort()).toEqual(["u1", "u2"]);
    await master.stop();
  }, 120_000);
});

describe("tags and fixed_count from the master", () => {
  test("--tags and --exclude-tags on the master select the worker's tasks", async () => {
    const run = await e2e.headlessMaster({
      locustfile: controlsMasterPy(e2e.bin),
      users: 2,
      spawnRate: 2,
      runTime: "4s",
      extra: ["Tagged", "--tags", "fast", "--exclude-tags", "flaky"],
    });
    await worker(run.port);
    const result = await run.result();
    expect(result.rows.map((r) => r.name).sort()).toEqual(["fast"]);
    expect(masterComplaints(result.log)).toEqual([]);

    const again = await e2e.headlessMaster({
      locustfile: controlsMasterPy(e2e.bin),
      users: 2,
      spawnRate: 2,
      runTime: "4s",
      extra: ["Tagged", "--exclude-tags", "slow"],
    });
    await worker(again.port);
    expect((await again.result()).rows.map((r) => r.name).sort()).toEqual(["fast", "fast-but-flaky", "untagged"]);
  }, 120_000);

  test("a fixedCount class gets exactly its count across 2 workers", async () => {
    const run = await e2e.headlessMaster({
      locustfile: controlsMasterPy(e2e.bin),
      users: 10,
      spawnRate: 10,
      runTime: "4s",
      workers: 2,
      extra: ["Fixed", "Rest"],
    });
    await worker(run.port);
    await worker(run.port);
    const result = await run.result();
    // Each user records its start once, under its class: these are users that ran, on both workers.
    expect(result.rows.find((r) => r.name === "Fixed")?.requests).toBe(3);
    expect(result.rows.find((r) => r.name === "Rest")?.requests).toBe(7);
    expect(result.log).toContain('All users spawned: {"Fixed": 3, "Rest": 7}');
  }, 120_000);
});

describe("GET /metrics (--metrics-port)", () => {
  test("prometheus_client parses it, and its counters match the master's totals", async () => {
    const master = await uiMaster(["Ticker"]);
    const port = await freePort();
    const w = await worker(master.masterPort, ["--max-rps", "400", "--metrics-port", String(port), "--metrics-host", "127.0.0.1"]);
    await workersReady(master, 1);
    await master.swarm({ user_count: 4, spawn_rate: 4, host: "" });
    const scrape = async () => parseWithPrometheusClient(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    const running = await waitFor(
      async () => {
        const families = await scrape();
        return sampleValue(families, "loadworker_users", "loadworker_users", { user_class: "Ticker" }) === 4 ? families : undefined;
      },
      20_000,
      "/metrics to show 4 Ticker users",
    );
    expect(Number(sampleValue(running, "process_resident_memory_bytes", "process_resident_memory_bytes"))).toBeGreaterThan(1e6);
    expect(Number(sampleValue(running, "process_cpu_seconds", "process_cpu_seconds_total"))).toBeGreaterThan(0);
    expect(sampleValue(running, "loadworker_open_connections", "loadworker_open_connections")).toBe(0); // Ticker makes no HTTP requests
    await sleep(4_000);
    await master.stop();
    // A stop flushes the worker's last stats before client_stopped: both sides then hold the same totals.
    await waitFor(() => (w.output().includes("onTestStop ran") ? true : undefined), 20_000, "the stop to finish");
    await sleep(2_500); // the master's /stats/requests is cached for up to 2 s
    const tick = (await statRows(master)).find((r) => r.name === "tick");
    const families = await scrape();
    const labels = { method: "tick", name: "tick" };
    expect(tick?.num_requests).toBeGreaterThan(1000);
    expect(sampleValue(families, "loadworker_requests", "loadworker_requests_total", labels)).toBe(tick?.num_requests);
    expect(sampleValue(families, "loadworker_failures", "loadworker_failures_total", labels)).toBe(tick?.num_failures);
    expect(sampleValue(families, "loadworker_response_time_seconds", "loadworker_response_time_seconds_count", labels)).toBe(
      tick?.num_requests,
    );
    expect(
      sampleValue(families, "loadworker_response_time_seconds", "loadworker_response_time_seconds_bucket", { ...labels, le: "0.005" }),
    ).toBe(tick?.num_requests); // 1 ms each
    expect(sampleValue(families, "loadworker_users", "loadworker_users", { user_class: "Ticker" }) ?? 0).toBe(0);
    expect(sampleValue(families, "loadworker_exceptions", "loadworker_exceptions_total")).toBe(0);
  }, 120_000);
});
