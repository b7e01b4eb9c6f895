// The `loadworker run` shell in process: real pool, users and stats, fake clock and timers, the
// output and report files captured. No sockets and no sleeping through the run: time moves by hand.
import { describe, expect, test } from "bun:test";
import { type Plan, buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { constant, defineUser, onTestStart, onTestStop } from "../../src/index.ts";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import type { FinalReports, ReportFiles } from "../../src/standalone/report/report-files.ts";
import { type RunFlags, parseRunFlags, processesForUsers } from "../../src/standalone/options/run-options.ts";
import { driveRun } from "../../src/standalone/run.ts";
import { RunSink } from "../../src/standalone/sink.ts";
import { startStandalone } from "../../src/standalone/start.ts";
import { selectClasses } from "../../src/standalone/load/select.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { FakeTimers } from "../support/fake-link.ts";
import { recordingLogger } from "../support/fakes.ts";
import { within } from "../support/wait.ts";

// Each user runs one task and then waits an hour (the stop cuts the wait short).
const buyer = defineUser({
  name: "Buyer",
  weight: 3,
  waitTime: constant(3600),
  tasks: [{ name: "buy", fn: (ctx) => ctx.recordSuccess("GET", "/a", 12, 100) }],
});
const breaker = defineUser({
  name: "Breaker",
  weight: 1,
  waitTime: constant(3600),
  tasks: [{ name: "break", fn: (ctx) => ctx.recordFailure("GET", "/b", 30, "HTTP 503") }],
});
const thrower = defineUser({
  name: "Thrower",
  waitTime: constant(3600),
  tasks: [
    {
      name: "throw",
      // After an await, as real tasks throw: the stack no longer depends on who started the user.
      fn: async () => {
        await null;
        throw new TypeError("bad state");
      },
    },
  ],
});
const plan = buildPlan(collectDefinitions([buyer, breaker, thrower]));

// Lets the users' promises run between two timer advances (their tasks are synchronous).
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function start(flags: Partial<RunFlags>, runPlan: Plan = plan, write?: (text: string) => void) {
  const options = parseRunFlags({ thresholds: [], abortOnFail: false, names: [], ...flags });
  const selected = selectClasses(runPlan, options.names);
  if (!selected.ok) throw new Error(selected.error);
  const clock = new FakeClock(1_800_000_000);
  const timers = new FakeTimers(clock);
  const log = recordingLogger();
  let out = "";
  const history: string[] = [];
  let final: FinalReports | undefined;
  let refreshed = 0;
  const files: ReportFiles = {
    appendHistory: (rows) => void history.push(rows),
    refreshCsv: (reports) => {
      refreshed++;
      expect(reports().statsCsv).toStartWith("Type,Name,");
    },
    writeFinal: (reports) => {
      final = reports;
      return ["fake.json"];
    },
  };
  const run = startStandalone(runPlan, selected.classes, options, {
    clock,
    log,
    every: timers.every,
    files,
    io: { out: { write: write ?? ((text: string) => (out += text)) }, terminal: undefined, size: () => ({ columns: 100, rows: 30 }) },
  });
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 250) {
      timers.advance(Math.min(250, ms - t));
      await settle();
    }
  };
  return {
    run,
    advance,
    log,
    timers,
    out: () => out,
    history,
    report: () => JSON.parse(final?.json() ?? "null") as RunReport,
    final: () => final,
    refreshed: () => refreshed,
  };
}

describe("startStandalone", () => {
  test("ramps up in Locust's steps (floor(rate) users a step), split by weight in Locust's order (6 users of 3:1 are 4 and 2), and prints a plain line every 2 s", async () => {
    const r = start({ users: "8", spawnRate: "2", runTime: "10s", names: ["Buyer", "Breaker"] });
    await r.advance(2_000);
    expect(r.out()).toMatch(/^\[2s\/10s\] ramping up 6\/8 users \| 6 reqs, 2 \(33\.3%\) fails \| 0\.0 rps \| p50 12 ms/m);
    await r.advance(2_000);
    expect(r.log.lines.map((l) => l.message)).toContain('all 8 users started: {"Buyer":6,"Breaker":2}');
    expect(r.out()).toMatch(/^\[4s\/10s\] running 8\/8 users \| 8 reqs, 2 \(25\.0%\) fails/m);
    await r.advance(6_000);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(0);
    expect(r.timers.active).toBe(0);
  });

  test("merges a stats delta every second into the history, the CSV history and the reports", async () => {
    const r = start({ users: "4", spawnRate: "4", runTime: "5s", names: ["Buyer", "Breaker"] });
    await r.advance(5_000);
    await within(r.run.done, 5_000, "the run to end");
    const report = r.report();
    expect(report.ended_by).toBe("run-time");
    expect(report.history.map((p) => p.user_count)).toEqual([4, 4, 4, 4, 4, 0]); // five seconds, then the final merge
    expect(r.history.length).toBe(6);
    expect(r.refreshed()).toBe(1); // the whole-run CSVs are rewritten every 5 s, as Locust does
    expect(r.history[0]).toMatch(/^1800000001,4,,Aggregated,/);
    expect(report.stats.map((e) => [e.method, e.name, e.num_requests, e.num_failures])).toEqual([
      ["GET", "/a", 3, 0],
      ["GET", "/b", 1, 1],
    ]);
    expect(report.errors).toEqual([
      { method: "GET", name: "/b", error: "HTTP 503", occurrences: 1, first_seen: expect.any(Number), last_seen: expect.any(Number) },
    ]);
    expect(r.final()?.statsCsv).toContain("\r\nGET,/a,3,0,12,12.0,12,12,100.0,");
  });

  test("prints Locust's summary, the thresholds with measured values, and exits 99 on a breach", async () => {
    const r = start({
      users: "4",
      spawnRate: "4",
      runTime: "3s",
      thresholds: ["failures==0", "GET /a:p95<=12", "/none:max<1"],
      names: ["Buyer", "Breaker"],
    });
    await r.advance(3_000);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(99);
    const out = r.out();
    expect(out).toContain("Response time percentiles (approximated)");
    expect(out).toMatch(/FAILED {2}failures==0 +Aggregated: measured 1\n/);
    expect(out).toMatch(/passed {2}GET \/a:p95<=12 +GET \/a: measured 12\n/);
    expect(out).toMatch(/FAILED {2}\/none:max<1 +\/none: nothing was recorded under this name/);
    expect(out).toContain("Exit code 99 (a threshold failed).");
    expect(out).toContain("Wrote fake.json");
  });

  test("--abort-on-fail stops at the first check after the ramp-up that sees a breach", async () => {
    const r = start({
      users: "4",
      spawnRate: "4",
      runTime: "1h",
      thresholds: ["failures==0"],
      abortOnFail: true,
      names: ["Buyer", "Breaker"],
    });
    await r.advance(1_000);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(99);
    expect(r.report().ended_by).toBe("threshold-abort");
    expect(r.log.lines.some((l) => l.level === "warn" && l.message.includes("threshold failed: failures==0 (measured 1)"))).toBe(true);
  });

  test("stop() ends the run early with the summary and reports (Ctrl-C)", async () => {
    const r = start({ users: "2", spawnRate: "2", names: ["Buyer"] });
    await r.advance(3_000);
    r.run.stop("interrupted");
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(0);
    expect(r.report().ended_by).toBe("interrupted");
    expect(r.report().config.run_time_seconds).toBeNull();
    expect(r.out()).toContain("interrupted (Ctrl-C or SIGTERM)");
  });

  test("counts task exceptions in the reports and exits with --exit-code-on-error", async () => {
    const r = start({ users: "3", spawnRate: "3", runTime: "2s", exitCodeOnError: "5", names: ["Thrower"] });
    await r.advance(2_000);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(5);
    expect(r.report().exceptions).toEqual([
      {
        count: 3,
        msg: "TypeError('bad state') in throw",
        traceback: expect.stringContaining("in throw\nTypeError: bad state"),
        nodes: ["local"],
      },
    ]);
    expect(r.log.lines.filter((l) => l.level === "error" && l.message.startsWith("task code threw")).length).toBe(1); // logged once
    expect(r.final()?.exceptionsCsv).toMatch(/^Count,Message,Traceback,Nodes\r\n3,TypeError\('bad state'\) in throw,/);
  });

  test("runs only the named task, in its class", async () => {
    const r = start({ users: "1", spawnRate: "1", runTime: "1s", names: ["buy"] });
    await r.advance(1_000);
    await within(r.run.done, 5_000, "the run to end");
    expect(r.report().config.user_classes).toEqual(["Buyer"]);
  });

  test("runs onTestStart before the first user starts and onTestStop once after the last stopped; a throwing hook is an exception", async () => {
    const events: string[] = [];
    let release = () => {};
    const hooksPlan = buildPlan(
      collectDefinitions([
        defineUser({
          name: "Hooked",
          waitTime: constant(3600),
          tasks: [{ name: "work", fn: () => void events.push("task") }],
          onStop: () => void events.push("onStop"),
        }),
        onTestStart(async (ctx) => {
          await new Promise<void>((resolve) => (release = resolve));
          events.push(`start ${ctx.workerIndex} ${JSON.stringify(ctx.parsedOptions.tags)}`);
        }),
        onTestStop(() => {
          events.push("stop");
          throw new Error("stop hook broke");
        }),
      ]),
    );
    const r = start({ users: "2", spawnRate: "2", runTime: "3s", tags: [] }, hooksPlan);
    await r.advance(1_000);
    expect(events).toEqual([]); // the users wait for onTestStart
    release();
    await settle();
    await r.advance(2_999);
    expect(events).not.toContain("stop"); // the run time counts from the end of onTestStart, as in Locust
    await r.advance(1);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(0);
    expect(events).toEqual(["start 0 null", "task", "task", "onStop", "onStop", "stop"]);
    expect(r.report().exceptions).toEqual([expect.objectContaining({ count: 1, msg: "Error('stop hook broke') in onTestStop" })]);
  });

  test("a throw at the end (stdout gone while the summary prints) is logged and exits 1; the reports were written", async () => {
    const r = start({ users: "1", spawnRate: "1", runTime: "1s", names: ["Buyer"] }, plan, (text) => {
      if (text.includes("Response time percentiles")) throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
    });
    await r.advance(1_000);
    expect(await within(r.run.done, 5_000, "the run to end")).toBe(1);
    expect(r.final()).toBeDefined();
    expect(
      r.log.lines.some(
        (l) =>
          l.level === "error" &&
          l.message.startsWith("the run could not finish (exit code 1; report files already written stay): Error: write EPIPE"),
      ),
    ).toBe(true);
    expect(r.timers.active).toBe(0);
  });

  test("a load source whose stop rejects still ends the run with exit 1 and no timer left", async () => {
    const clock = new FakeClock(1_800_000_000);
    const timers = new FakeTimers(clock);
    const log = recordingLogger();
    const source = {
      collect: () => {},
      phase: () => "running" as const,
      userCount: () => 1,
      counts: () => ({}),
      elapsed: () => 0,
      stop: () => Promise.reject(new Error("children would not stop")),
    };
    const options = parseRunFlags({ users: "1", thresholds: [], abortOnFail: false, names: [] });
    const files: ReportFiles = { appendHistory: () => {}, refreshCsv: () => {}, writeFinal: () => [] };
    const io = { out: { write: () => {} }, terminal: undefined, size: () => ({ columns: 100, rows: 30 }) };
    const run = driveRun(source, new RunSink(clock.epoch(), log, undefined), options, { clock, log, io, files, every: timers.every }, []);
    run.stop("interrupted");
    expect(await within(run.done, 5_000, "the run to end")).toBe(1);
    expect(log.lines.filter((l) => l.level === "error").map((l) => l.message)).toEqual([
      expect.stringMatching(/^the run could not finish \(exit code 1; report files already written stay\): Error: children would not stop/),
    ]);
    expect(timers.active).toBe(0);
  });

  test("the summary names why the exit code is 1: a lost worker process, or a report that could not be written", async () => {
    const end = async (failure: string | undefined, writeFinal: ReportFiles["writeFinal"]) => {
      const clock = new FakeClock(1_800_000_000);
      const timers = new FakeTimers(clock);
      const log = recordingLogger();
      let out = "";
      const source = {
        collect: () => {},
        phase: () => "running" as const,
        userCount: () => 1,
        counts: () => ({}),
        elapsed: () => 0,
        stop: async () => {},
      };
      const options = parseRunFlags({ users: "1", thresholds: [], abortOnFail: false, names: [] });
      const files: ReportFiles = { appendHistory: () => {}, refreshCsv: () => {}, writeFinal };
      const write = (text: string) => {
        out += text;
      };
      const io = { out: { write }, terminal: undefined, size: () => ({ columns: 100, rows: 30 }) };
      const deps = { clock, log, io, files, every: timers.every };
      const run = driveRun({ ...source, failure: () => failure }, new RunSink(clock.epoch(), log, undefined), options, deps, []);
      run.stop(failure === undefined ? "interrupted" : "process-exited");
      expect(await within(run.done, 5_000, "the run to end")).toBe(1);
      return out;
    };
    expect(await end("worker process 2/2 exited", () => [])).toContain("Exit code 1 (a worker process exited during the run).");
    const diskFull = () => {
      throw new Error("cannot write the --json report file: the disk is full");
    };
    expect(await end(undefined, diskFull)).toContain("Exit code 1 (a report file could not be written).");
  });

  test("replaces a user that stopped itself only at the next ramp step, as Locust's runner does (-u 3: -r 3 starts 3, -r 1 starts 6)", async () => {
    // Locust 2.47, `--headless -u 3 -t 5s` with on_start raising StopUser: 3 on_start calls at -r 3, 6 at -r 1
    // (each step tops up to its total from the users still running); none after the ramp.
    const starts = async (spawnRate: string, stopIn: "onStart" | "task") => {
      let count = 0;
      const leaver = defineUser({
        name: "Leaver",
        waitTime: constant(1),
        onStart: (ctx) => {
          count++;
          if (stopIn === "onStart") ctx.stopUser();
        },
        tasks: [{ name: "leave", fn: (ctx) => ctx.stopUser() }],
      });
      const r = start({ users: "3", spawnRate, runTime: "6s" }, buildPlan(collectDefinitions([leaver])));
      await r.advance(6_000);
      expect(await within(r.run.done, 5_000, "the run to end")).toBe(0);
      return count;
    };
    expect(await starts("3", "onStart")).toBe(3);
    expect(await starts("1", "onStart")).toBe(6);
    expect(await starts("3", "task")).toBe(3);
    expect(await starts("1", "task")).toBe(6);
    expect(await starts("0.5", "onStart")).toBe(6); // steps at 0, 2 and 4 s; none in the seconds between
  });
});

describe("processesForUsers: run --processes never starts a process that would get no user", () => {
  test.each([
    [3, 1, 1, "--processes 3 with -u 1: this process runs it (a process without a user would do nothing)"],
    [3, 2, 2, "--processes 3 with -u 2: starting 2 processes, one user each (a process without a user would do nothing)"],
    [3, 3, 3, undefined],
    [2, 10, 2, undefined],
    [1, 1, 1, undefined],
  ])("--processes %d -u %d: %d, note %p", (requested, users, count, note) => {
    expect(processesForUsers(requested, users)).toEqual(note === undefined ? { count } : { count, note });
  });
});
