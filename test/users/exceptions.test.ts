import { afterEach, describe, expect, test } from "bun:test";
import { constant, defineUser } from "../../src/index.ts";
import { harness, stopPools, until } from "./pool-harness.ts";
import {
  MAX_REMEMBERED_TRACEBACKS,
  MAX_REPORTS_PER_SECOND,
  SAMPLED_REPORT,
  SAMPLED_SUMMARY_MS,
  type ExceptionReport,
  describeException,
  exceptionReporter,
} from "../../src/users/exceptions.ts";
import { recordingLogger } from "../support/fakes.ts";

describe("describeException", () => {
  test("names an Error's class and message, and where it was thrown, with its stack", () => {
    const error = new TypeError("cannot read id");
    const report = describeException(error, "checkout");
    expect(report.msg).toBe("TypeError('cannot read id') in checkout");
    expect(report.traceback.startsWith("in checkout\n")).toBe(true);
    expect(report.traceback).toContain(error.stack as string);
  });

  test("says a thrown value is not an Error, whatever it is", () => {
    expect(describeException("plain text", "t")).toEqual({
      msg: "plain text in t",
      traceback: "in t\nthrown value (not an Error): plain text",
    });
    expect(describeException({ code: 7 }, "t").msg).toBe('{"code":7} in t');
    expect(describeException(undefined, "t").msg).toBe("undefined in t");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeException(circular, "t").msg).toBe("[object Object] in t");
  });
});

describe("exceptionReporter", () => {
  function reporter() {
    const log = recordingLogger();
    const sent: ExceptionReport[] = [];
    let now = 0;
    let reachable = true;
    const reporter = exceptionReporter(
      log,
      (r) => reachable && sent.push(r) > 0,
      () => now,
    );
    return {
      log,
      sent,
      report: reporter.report,
      flush: reporter.flush,
      advance: (ms: number) => {
        now += ms;
      },
      unreachable: () => {
        reachable = false;
      },
    };
  }

  test("logs a traceback in full once, and repeats of it at debug level", () => {
    const { log, sent, report } = reporter();
    const error = new Error("same");
    report(error, "t");
    report(error, "t");
    expect(log.lines.map((l) => l.level)).toEqual(["error", "debug"]);
    expect(log.lines[0]?.message).toContain("task code threw: Error('same') in t");
    expect(sent).toHaveLength(2);
  });

  test("names the task once in the log entry, while the traceback sent to the master keeps its 'in TASK' line", () => {
    const { log, sent, report } = reporter();
    report(new Error("once"), "checkout");
    const entry = log.lines[0]?.message ?? "";
    expect(entry.match(/in checkout/g)).toHaveLength(1);
    expect(entry).toContain("Error: once");
    expect(sent[0]?.traceback.startsWith("in checkout\n")).toBe(true);
  });

  test(`forwards at most ${MAX_REPORTS_PER_SECOND} reports a second, and says in the log and in the master's tab how many it held back`, () => {
    const { log, sent, report, advance } = reporter();
    for (let i = 0; i < 25; i++) report(new Error("flood"), "t");
    expect(sent).toHaveLength(MAX_REPORTS_PER_SECOND);
    advance(1_000);
    report(new TypeError("later"), "u");
    // The new second's first report goes out, then the summary of the 15 held back.
    expect(sent.slice(MAX_REPORTS_PER_SECOND)).toEqual([{ msg: "TypeError('later') in u", traceback: expect.any(String) }, SAMPLED_REPORT]);
    const warning = log.lines.find((l) => l.level === "warn")?.message ?? "";
    expect(warning).toStartWith("exception reports held back: 15 over 1s were not sent to the master");
    expect(warning).toContain("Error('flood') in t ×15");
  });

  test(`summarises at most once per ${SAMPLED_SUMMARY_MS / 1000}s, with every report held back since counted`, () => {
    const { log, sent, report, flush, advance } = reporter();
    for (let second = 0; second < 12; second++) {
      for (let i = 0; i < 12; i++) report(new Error("flood"), "t");
      advance(1_000);
    }
    flush();
    const summaries = log.lines.filter((l) => l.level === "warn").map((l) => l.message);
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toContain("Error('flood') in t ×2. "); // the first second's 2, said a second later
    expect(summaries[1]).toContain("Error('flood') in t ×20. "); // the next ten seconds; the last one's wait for the next period
    expect(sent.filter((r) => r === SAMPLED_REPORT)).toHaveLength(2);
    expect(sent.filter((r) => r !== SAMPLED_REPORT)).toHaveLength(12 * MAX_REPORTS_PER_SECOND);
  });

  test("counts reports it could not send (no master) as held back, and says so once it can", () => {
    const { log, sent, report, flush, advance, unreachable } = reporter();
    unreachable();
    report(new Error("while away"), "t");
    advance(2_000);
    flush();
    expect(sent).toEqual([]);
    expect(log.lines.find((l) => l.level === "warn")?.message).toContain("Error('while away') in t ×1");
  });

  test("keeps its memory bounded when every message is new, so a long-ago traceback is logged in full again", () => {
    const { log, report } = reporter();
    const first = new Error("order 0 failed");
    report(first, "t");
    for (let i = 1; i <= MAX_REMEMBERED_TRACEBACKS; i++) report(new Error(`order ${i} failed`), "t");
    report(first, "t");
    expect(log.lines.filter((l) => l.level === "error" && l.message.includes("order 0 failed"))).toHaveLength(2);
  });
});

describe("tracebacks of a task that throws, run by a real pool", () => {
  afterEach(stopPools);

  test("are one traceback whether the task ran from the spawn or from the user's loop, down to the task's own line", async () => {
    const user = defineUser({
      name: "Thrower",
      waitTime: constant(0.001),
      tasks: [
        {
          name: "throw",
          fn: () => {
            throw new Error("same place");
          },
        },
      ],
    });
    const { pool, exceptions } = harness(user);
    await pool.setTargets({ Thrower: 1 }, 0);
    await until(() => exceptions.length >= 3 || undefined, "three throws");
    const tracebacks = new Set(exceptions.map((e) => describeException(e.error, e.where).traceback));
    expect([...tracebacks].join("\n----\n")).toBe([...tracebacks][0] as string);
    const [traceback] = tracebacks;
    expect(traceback).toContain("test/users/exceptions.test.ts:");
    expect(traceback).not.toContain("src/users/");
  });
});
