import { describe, expect, test } from "bun:test";
import { MAX_REMEMBERED_TRACEBACKS, MAX_REPORTS_PER_SECOND, type ExceptionReport, describeException, exceptionReporter } from "../../src/users/exceptions.ts";
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
    expect(describeException("plain text", "t")).toEqual({ msg: "plain text in t", traceback: "in t\nthrown value (not an Error): plain text" });
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
    const report = exceptionReporter(log, (r) => void sent.push(r), () => now);
    return { log, sent, report, advance: (ms: number) => void (now += ms) };
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

  test(`forwards at most ${MAX_REPORTS_PER_SECOND} reports a second and says how many it held back`, () => {
    const { log, sent, report, advance } = reporter();
    for (let i = 0; i < 25; i++) report(new Error("flood"), "t");
    expect(sent).toHaveLength(MAX_REPORTS_PER_SECOND);
    advance(1_000);
    report(new Error("later"), "t");
    expect(sent).toHaveLength(MAX_REPORTS_PER_SECOND + 1);
    expect(log.lines.some((l) => l.level === "warn" && l.message.startsWith("15 exception reports were not sent"))).toBe(true);
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
