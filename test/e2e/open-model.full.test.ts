// The open model against a server that stalls for 2 s every 10 s (test/support/stall-server.ts:
// a request arriving in a stall is answered 2 s after it arrived). `run --arrival-rate 100` keeps
// starting 100 iterations a second through the stalls (the server's own count per second shows
// it) and its p99 shows the stall, where a closed-model run of 5 users at 20 task runs a second
// each (the same 100/s while the server is quick) waits with the server and hides it (coordinated
// omission). With too few --max-users iterations are dropped and counted; with enough, none.
// --stages follows its ramp within one iteration a second per stage. From the sources under Bun.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { rampingRate } from "../../src/users/open/schedule.ts";
import { ROOT, tempDir } from "../support/procs.ts";
import { run } from "../support/run-cli.ts";
import { type StallServer, perSecond, stallServer } from "../support/stall-server.ts";

const TASKS = { LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/open-tasks") };
const source = { kind: "source" } as const;
let dir: string;
const servers: StallServer[] = [];
const serve = async (stall = true) => {
  const server = await stallServer(
    stall ? { stallMs: 2_000, periodMs: 10_000, firstStallAfterMs: 4_000 } : { stallMs: 0, periodMs: 1_000 },
  );
  servers.push(server);
  return server;
};
const report = (name: string): RunReport => JSON.parse(readFileSync(join(dir, name), "utf8"));
const p99 = (r: RunReport) => r.total.percentiles["99%"] ?? Number.NaN;

beforeAll(() => {
  dir = tempDir("open-model");
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe("run --arrival-rate 100 against a server that stalls 2 s every 10 s", () => {
  let open: { report: RunReport; server: StallServer; stdout: string };
  let closed: { report: RunReport; server: StallServer };
  let short: { report: RunReport; stdout: string };
  beforeAll(async () => {
    const [a, b, c] = await Promise.all([serve(), serve(), serve()]);
    if (!a || !b || !c) throw new Error("no servers");
    const common = ["-t", "12s", "--json"];
    const [openRun, closedRun, shortRun] = await Promise.all([
      run(source, ["--arrival-rate", "100", "--max-users", "400", ...common, join(dir, "open.json"), "--host", a.url], TASKS),
      run(source, ["-u", "5", "-r", "5", ...common, join(dir, "closed.json"), "--host", b.url], TASKS),
      run(source, ["--arrival-rate", "100/s", "--max-users", "20", ...common, join(dir, "short.json"), "--host", c.url], TASKS),
    ]);
    for (const r of [openRun, closedRun, shortRun]) expect(r.code).toBe(0);
    open = { report: report("open.json"), server: a, stdout: openRun.stdout };
    closed = { report: report("closed.json"), server: b };
    short = { report: report("short.json"), stdout: shortRun.stdout };
  }, 90_000);

  test("the server saw about 100 iterations start in every second, the stalled ones included", () => {
    const first = open.server.arrivals[0] ?? 0;
    const seconds = perSecond(open.server.arrivals, first, first + 11_000);
    expect(seconds).toHaveLength(11);
    // Whole seconds of the server's clock against the schedule's: 100 ± a few at the edges.
    for (const count of seconds) expect(Math.abs(count - 100)).toBeLessThanOrEqual(5);
    // The stall (4 s to 6 s of the server's life) lies within the run: the seconds around it count too.
    expect(first - open.server.startedAt).toBeLessThan(4_000);
  });

  test("its p99 shows the stall (≥ 2,000 ms), and nothing was dropped with --max-users 400", () => {
    expect(p99(open.report)).toBeGreaterThanOrEqual(2_000);
    expect(open.report.dropped_iterations).toBe(0);
    expect(open.report.config.arrival).toEqual({ rate: 100, stages: [], max_users: 400 });
    expect(open.stdout).toContain("dropped iterations: 0");
  });

  test("a closed-model run of 5 users at the same rate hides it: p99 below the stall", () => {
    expect(p99(closed.report)).toBeLessThan(2_000);
    expect(closed.report.total.max_response_time).toBeGreaterThanOrEqual(1_900); // the stall happened to it too
    expect(closed.report.dropped_iterations).toBe(0);
    expect(closed.report.config.arrival).toBeNull();
  });

  test("with --max-users 20, iterations due in the stall are dropped and counted, per second in the history", () => {
    const { dropped_iterations: dropped, history } = short.report;
    // 20 users are all stuck in the stall within 0.2 s; most of its 200 iterations find none free.
    expect(dropped).toBeGreaterThan(100);
    expect(history.reduce((s, p) => s + p.dropped_iterations, 0)).toBe(dropped);
    expect(short.stdout).toContain(`dropped iterations: ${dropped} (no free user`);
    expect(short.report.total.num_requests + dropped).toBeGreaterThanOrEqual(1_150);
  });
});

describe("run --stages", () => {
  test("follows its ramp within one iteration a second per stage, as the server counts", async () => {
    const server = await serve(false);
    const stages = "3s:60,3s:60,3s:0";
    const result = await run(source, ["--stages", stages, "--json", join(dir, "stages.json"), "--host", server.url], TASKS);
    expect(result.code).toBe(0);
    const schedule = rampingRate(0, [
      { seconds: 3, rate: 60 },
      { seconds: 3, rate: 60 },
      { seconds: 3, rate: 0 },
    ]);
    // The schedule starts as the run does (no onTestStart hook to wait for): the report's started_at.
    const start = report("stages.json").started_at * 1_000;
    const within = (from: number, to: number) =>
      server.arrivals.filter((at) => at >= start + from * 1_000 && at < start + to * 1_000).length;
    for (const [from, to] of [
      [0, 3],
      [3, 6],
      [6, 9],
    ] as const) {
      const expected = schedule.dueBy(to) - schedule.dueBy(from);
      expect(Math.abs(within(from, to) - expected)).toBeLessThanOrEqual(to - from);
    }
    expect(report("stages.json").total.num_requests).toBe(server.arrivals.length);
    expect(server.arrivals.length).toBe(360); // 90 + 180 + 90: the area under the ramp
  }, 60_000);
});
