// The parent's side of `run --processes`: children's stats lines, split anywhere across chunks,
// merged as a master merges worker reports; a child that exits during the run ends it.
import { describe, expect, test } from "bun:test";
import { createStats } from "../../../src/stats/index.ts";
import { LINE_PREFIX, decodeChildLine, encodeChildMessage } from "../../../src/processes/run/child-stream.ts";
import { ProcessesSource } from "../../../src/processes/run/processes-source.ts";
import { RunSink } from "../../../src/standalone/sink.ts";
import { FakeClock } from "../../support/fake-clock.ts";
import { recordingLogger } from "../../support/fakes.ts";

function childReport(clock: FakeClock, requests: number, users: number) {
  const stats = createStats(clock);
  for (let i = 0; i < requests; i++) stats.recorder.success("GET", "/a", 10 + i, 5);
  stats.recorder.failure("GET", "/b", 3, "HTTP 500");
  return stats.report({ Shopper: users }, users);
}

describe("the child stream", () => {
  test("carries a stats report through JSON and back, Maps and the end of its --iterations share included", () => {
    const clock = new FakeClock(1_800_000_000);
    const report = childReport(clock, 3, 2);
    const exceptions = [{ msg: "m", traceback: "t", count: 2 }];
    const line = encodeChildMessage({ type: "stats", report, phase: "running", exceptions, connections: 3, finished: true });
    expect(line.startsWith(LINE_PREFIX) && line.endsWith("\n")).toBe(true);
    expect(decodeChildLine(line.trimEnd())).toEqual({
      type: "stats",
      report,
      phase: "running",
      exceptions: [{ msg: "m", traceback: "t", count: 2 }],
      connections: 3,
      finished: true,
    });
  });

  test("leaves other lines alone and names what is wrong with a broken one", () => {
    expect(decodeChildLine("hello from console.log")).toBeNull();
    expect(decodeChildLine(`${LINE_PREFIX}{nope`)).toMatchObject({ error: expect.stringContaining("not JSON") });
    expect(decodeChildLine(`${LINE_PREFIX}{"type":"stats"}`)).toEqual({
      error: "a stats message without stats, stats_total or exceptions",
    });
  });
});

describe("ProcessesSource", () => {
  function setup() {
    const clock = new FakeClock(1_800_000_000);
    const log = recordingLogger();
    const sink = new RunSink(clock.epoch(), log, undefined);
    const passed: string[] = [];
    const source = new ProcessesSource(2, sink, clock, log, (line) => passed.push(line));
    let lost = 0;
    source.onLost = () => void lost++;
    return { clock, log, sink, source, passed, lost: () => lost };
  }

  test("merges every child's deltas, split across chunks, and sums their users and open connections", () => {
    const { clock, sink, source, passed } = setup();
    const one = encodeChildMessage({
      type: "stats",
      report: childReport(clock, 3, 2),
      phase: "running",
      exceptions: [{ msg: "boom", traceback: "in t", count: 2 }],
      connections: 2,
    });
    const two = encodeChildMessage({ type: "stats", report: childReport(clock, 4, 1), phase: "ramping", exceptions: [], connections: 1 });
    source.data(1, one.slice(0, 17));
    source.data(2, `console says hi\n${two.slice(0, 5)}`);
    expect(sink.acc.total.numRequests).toBe(0);
    source.data(1, one.slice(17));
    source.data(2, two.slice(5));
    expect(sink.acc.total.numRequests).toBe(3 + 1 + 4 + 1);
    expect(sink.acc.total.numFailures).toBe(2);
    expect(sink.acc.errors.size).toBe(1); // the same error key from both children, merged
    expect([...sink.acc.exceptions.values()].map((x) => [x.count, [...x.nodes]])).toEqual([[2, ["process 1/2"]]]);
    expect(source.userCount()).toBe(3);
    expect(source.counts()).toEqual({ Shopper: 3 });
    expect(source.openConnections()).toBe(3); // /metrics's loadworker_open_connections: the children's, not the parent's 0
    expect(source.phase()).toBe("ramping"); // until every child runs all its users
    expect(passed).toEqual(["console says hi"]);
  });

  test("counts the run time from when every child has begun its users, not from its own start", async () => {
    const { clock, source } = setup();
    let started = false;
    void source.started.then(() => (started = true));
    const report = (phase: "starting" | "ramping") =>
      encodeChildMessage({ type: "stats", report: childReport(clock, 1, 0), phase, exceptions: [] });
    clock.advance(2); // the children boot and run onTestStart
    source.data(1, report("ramping"));
    source.data(2, report("starting"));
    await Promise.resolve();
    expect([started, source.elapsed()]).toEqual([false, 0]);
    source.data(2, report("ramping"));
    await Promise.resolve();
    expect(started).toBe(true);
    clock.advance(1.5);
    expect(source.elapsed()).toBe(1.5);
  });

  test("a task's output without a newline before a report is passed on, and the report still merges", () => {
    const { clock, sink, source, passed } = setup();
    const report = encodeChildMessage({ type: "stats", report: childReport(clock, 3, 1), phase: "running", exceptions: [] });
    source.data(1, `...${report}`); // process.stdout.write(".") in a task, three times
    expect(sink.acc.total.numRequests).toBe(3 + 1);
    expect(passed).toEqual(["..."]);
  });

  test("a child that exits during the run is reported once and ends the run with a failure", () => {
    const { log, source, lost } = setup();
    source.exited(2, 4242, "signal SIGKILL");
    source.exited(1, 4241, "code 1");
    expect(lost()).toBe(1);
    expect(source.failure()).toBe(
      "worker process 2/2 (pid 4242) exited with signal SIGKILL during the run; the results lack what it did not report",
    );
    expect(log.lines.filter((l) => l.level === "error").length).toBe(1);
  });

  test("a child that said end and then exited is no failure", () => {
    const { source, lost } = setup();
    source.data(1, encodeChildMessage({ type: "end" }));
    source.exited(1, 1, "code 0");
    expect(lost()).toBe(0);
    expect(source.failure()).toBeUndefined();
  });
});
