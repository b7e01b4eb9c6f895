import { describe, expect, test } from "bun:test";
import { plainLine, renderLive } from "../../../src/standalone/view/live-view.ts";
import { LiveTerminal } from "../../../src/standalone/view/terminal.ts";
import { displayWidth, fit, truncate, truncateMiddle } from "../../../src/standalone/view/text-width.ts";
import type { ViewRow, ViewSnapshot } from "../../../src/standalone/view/view-snapshot.ts";

const row = (method: string, name: string, requests: number, failures = 0): ViewRow => ({
  method,
  name,
  requests,
  failures,
  rps: requests / 10,
  p50: 12,
  p95: 40,
  p99: 88,
  max: 230.4,
});

const snapshot = (rows: ViewRow[], over: Partial<ViewSnapshot> = {}): ViewSnapshot => ({
  elapsed: 65,
  runTime: 300,
  phase: "running",
  users: 50,
  targetUsers: 50,
  rows,
  total: row(
    "",
    "Aggregated",
    rows.reduce((s, r) => s + r.requests, 0),
    rows.reduce((s, r) => s + r.failures, 0),
  ),
  ...over,
});

describe("renderLive", () => {
  const rows = [row("GET", "/api/items", 12345, 12), row("POST", "/login", 50), row("GET", "压测HttpBin", 999)];

  test("draws the title, both progress bars and a table of every name plus Aggregated", () => {
    const frame = renderLive(snapshot(rows), { columns: 100, rows: 30 }).split("\n");
    expect(frame[0]).toBe("loadworker run · running · 1m05s elapsed");
    expect(frame[1]).toMatch(/^Users {5}\[█{40}\] 100% 50\/50$/);
    expect(frame[2]).toMatch(/^Run time {2}\[█{9}░{31}\] {2}21% 1m05s \/ 5m00s$/);
    expect(frame[4]).toMatch(/^Name +Requests +Failures +RPS +p50 ms +p95 ms +p99 ms +Max ms$/);
    expect(frame[5]).toMatch(/^GET \/api\/items +12345 +12 \(0\.10%\) +1234\.5 +12 +40 +88 +230$/);
    expect(frame[7]).toMatch(/^GET 压测HttpBin +999 +0 \(0\.0%\)/);
    expect(frame[9]).toMatch(/^Aggregated +13394 +12 \(0\.09%\)/);
  });

  test("keeps every line within the terminal's columns, counting CJK as two", () => {
    for (const columns of [40, 60, 100, 160]) {
      const long = [row("GET", `/${"x".repeat(200)}`, 1), row("GET", "压测".repeat(50), 2)];
      for (const line of renderLive(snapshot(long), { columns, rows: 30 }).split("\n"))
        expect(displayWidth(line)).toBeLessThanOrEqual(columns);
    }
  });

  test("on 80 and 60 columns leaves out Max, then p50 and RPS, so names keep 20 columns and p95 and p99 stay on screen", () => {
    const names = [row("GET", "/delay/300", 1), row("GET", "/status/500", 2)];
    const at80 = renderLive(snapshot(names), { columns: 80, rows: 30 }).split("\n");
    expect(at80[4]).toMatch(/^Name +Requests +Failures +RPS +p50 ms +p95 ms +p99 ms$/);
    expect(at80[5]).toMatch(/^GET \/delay\/300 +1 +0 \(0\.0%\) +0\.1 +12 +40 +88$/);
    const at60 = renderLive(snapshot(names), { columns: 60, rows: 30 }).split("\n");
    expect(at60[4]).toMatch(/^Name +Requests +Failures +p95 ms +p99 ms$/);
    expect(at60[6]).toMatch(/^GET \/status\/500 +2 +0 \(0\.0%\) +40 +88$/);
  });

  test("the open model's dropped and late iterations have a line of their own, whole at 60 columns", () => {
    const frame = renderLive(snapshot(rows, { misses: { dropped: 12345, late: 67 } }), { columns: 60, rows: 30 }).split("\n");
    expect(frame[1]).toMatch(/^Users {5}\[█+\] 100% 50\/50$/);
    expect(frame[3]).toBe("Open      dropped 12345, late 67 iterations");
    expect(frame.length).toBeLessThanOrEqual(30);
  });

  test("cuts a long name in the middle, so names that differ only at the end stay apart", () => {
    const names = [12, 13].map((i) => row("GET", `/endpoint/number/with/a/long/prefix/${i}`, i));
    const frame = renderLive(snapshot(names), { columns: 80, rows: 30 }).split("\n");
    const labels = frame.slice(5, 7).map((l) => l.slice(0, 21).trimEnd());
    expect(labels).toEqual(["GET /endpo…/prefix/12", "GET /endpo…/prefix/13"]);
    for (const l of frame) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });

  test("on a short terminal shows the first names and says how many more there are", () => {
    const many = Array.from({ length: 40 }, (_, i) => row("GET", `/n${i}`, i));
    const frame = renderLive(snapshot(many), { columns: 100, rows: 20 }).split("\n");
    expect(frame.length).toBeLessThanOrEqual(20);
    expect(frame).toContain("… 30 more names (all of them are in the summary)");
  });

  test("shows the ramp-up and an open-ended run", () => {
    const frame = renderLive(snapshot(rows, { phase: "ramping", users: 10, targetUsers: 40, runTime: null }), { columns: 100, rows: 30 });
    expect(frame).toContain("loadworker run · ramping up");
    expect(frame).toMatch(/Users {5}\[█{10}░{30}\] {2}25% 10\/40/);
    expect(frame).toContain("Run time  1m05s (no --run-time: until Ctrl-C)");
  });

  test("replaces control characters in names so they cannot move the cursor", () => {
    expect(renderLive(snapshot([row("GET", "a\nb\x1b[2J", 1)]), { columns: 100, rows: 30 })).toContain("GET a?b?[2J");
  });
});

describe("plainLine", () => {
  test("says time, phase, users, totals, rps and percentiles on one line", () => {
    expect(plainLine(snapshot([row("GET", "/a", 100, 3)]))).toBe(
      "[1m05s/5m00s] running 50/50 users | 100 reqs, 3 (3.0%) fails | 10.0 rps | p50 12 ms, p95 40 ms, p99 88 ms, max 230 ms",
    );
  });
});

describe("text width", () => {
  test("counts wide characters as two columns and combining marks as none", () => {
    expect(displayWidth("压测ab")).toBe(6);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(truncate("压测HttpBin", 6)).toBe("压测H…");
    expect(fit("7", 4, "right")).toBe("   7");
  });

  test("cuts the middle out of a name, never half a wide character", () => {
    // 5 columns each side of the '…' (口 would make the tail 7).
    expect(truncateMiddle("压测HttpBin 获取接口 /get", 12)).toBe("压测H… /get");
    expect(displayWidth(truncateMiddle("压测压测压测压测", 8))).toBeLessThanOrEqual(8);
    expect(truncateMiddle("/short", 12)).toBe("/short");
  });
});

describe("LiveTerminal", () => {
  test("redraws in place and prints log lines above the frame", () => {
    let out = "";
    const terminal = new LiveTerminal({ write: (t: string) => (out += t) });
    terminal.draw("a\nb");
    terminal.print("log line");
    terminal.draw("c\nd\ne");
    terminal.close();
    expect(out).toBe("\x1b[?25la\nb\n" + "\x1b[2F\x1b[Jlog line\na\nb\n" + "\x1b[2F\x1b[J\x1b[?25lc\nd\ne\n" + "\x1b[3F\x1b[J\x1b[?25h");
  });
});
