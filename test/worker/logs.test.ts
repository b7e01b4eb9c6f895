import { describe, expect, test } from "bun:test";
import { LOG_BUFFER_LINES, LogBuffer, capturingLogger, formatLogLine, initialShipState, shipLogs } from "../../src/worker/logs.ts";
import { recordingLogger } from "../support/fakes.ts";

describe("the log buffer", () => {
  test("keeps the last 500 lines, as Locust's LogReader deque(maxlen=500)", () => {
    const buffer = new LogBuffer();
    for (let i = 0; i < 520; i++) buffer.append(`line ${i}`);
    const lines = buffer.lines();
    expect(lines.length).toBe(LOG_BUFFER_LINES);
    expect(lines[0]).toBe("line 20");
    expect(lines.at(-1)).toBe("line 519");
    expect(buffer.appended).toBe(520);
  });
});

describe("shipping logs every interval (Locust's logs_reporter)", () => {
  test("sends when the buffer grew, and nothing when it did not", () => {
    let state = initialShipState;
    let step = shipLogs(state, 0);
    expect(step.decision.action).toBe("none");
    step = shipLogs(step.state, 3);
    expect(step.decision.action).toBe("send");
    step = shipLogs(step.state, 3);
    expect(step.decision.action).toBe("none");
    state = step.state;
    expect(shipLogs(state, 4).decision.action).toBe("send");
  });

  test("a full buffer that keeps growing still counts as growth", () => {
    const buffer = new LogBuffer();
    for (let i = 0; i < 600; i++) buffer.append("x");
    let step = shipLogs({ seen: 560, disabled: false }, buffer.appended);
    expect(step.decision.action).toBe("send");
    buffer.append("y");
    step = shipLogs(step.state, buffer.appended);
    expect(step.decision.action).toBe("send");
  });

  test("70 new lines in one interval are sent; 71 are sent once with Locust's warning, then never again", () => {
    expect(shipLogs(initialShipState, 70).decision.action).toBe("send");
    const over = shipLogs(initialShipState, 71);
    expect(over.decision).toEqual({
      action: "send_and_disable",
      warning: "The worker attempted to send more than 70 log lines in one interval. Further log sending was disabled for this worker.",
    });
    expect(shipLogs(over.state, 72).decision.action).toBe("none");
    expect(shipLogs(over.state, 1_000).decision.action).toBe("none");
  });
});

describe("log lines", () => {
  test("read like Locust's: [asctime] host/LEVEL/name: message", () => {
    const at = new Date(2026, 10, 30, 17, 5, 9, 42);
    expect(formatLogLine("warn", "careful", at, "box")).toBe("[2026-11-30 17:05:09,042] box/WARNING/loadworker: careful");
    expect(formatLogLine("info", "hi", at, "box")).toBe("[2026-11-30 17:05:09,042] box/INFO/loadworker: hi");
  });

  test("the capturing logger passes everything on and keeps what the log level shows", () => {
    const inner = recordingLogger();
    const buffer = new LogBuffer();
    const log = capturingLogger(inner, buffer, "info", () => new Date(2026, 0, 1));
    log.debug("hidden");
    log.info("shown", { a: 1 });
    log.error("bad", new Error("boom"));
    expect(inner.lines.map((l) => l.message)).toEqual(["hidden", "shown", "bad"]);
    const lines = buffer.lines();
    expect(lines.length).toBe(2);
    expect(lines[0]).toEndWith('/INFO/loadworker: shown {"a":1}');
    expect(lines[1]).toContain("/ERROR/loadworker: bad Error: boom");
  });
});
