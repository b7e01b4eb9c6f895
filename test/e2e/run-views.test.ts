// The live view under a real pseudo-terminal (util-linux `script`): a frame redrawn in place,
// with progress bars and the table, then the summary.
import { beforeAll, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { type RunResult, runInTerminal } from "../support/run-cli.ts";

const e2e = useE2e({ tasks: "test/e2e/run-tasks" });
let tty: RunResult;

beforeAll(async () => {
  tty = await runInTerminal(e2e.binary, ["-u", "3", "-r", "1", "-t", "5s", "--host", e2e.server.url], { columns: 100, rows: 30 });
}, 60_000);

const HINT = "Ctrl-C ends the run early; the summary and the reports are still written.";

// The screen text of each frame: what follows a "cursor up N lines, clear below" (or the first draw).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the redraw is ESC [ N F (cursor up) then ESC [ J (clear below)
const REDRAW = /\x1b\[\d+F\x1b\[J/g;

function frames(output: string): string[] {
  return output
    .split(REDRAW)
    .map((chunk) => chunk.replaceAll("\x1b[?25l", "").replaceAll("\x1b[?25h", "").replaceAll("\r", ""))
    .filter((chunk) => chunk.includes("loadworker run ·"))
    .map((chunk) => chunk.slice(chunk.indexOf("loadworker run ·"), chunk.indexOf(HINT) + HINT.length)); // log lines before, summary after
}

describe("loadworker run on a TTY", () => {
  test("exits 0 and redraws the frame in place (cursor up, clear), hiding the cursor until the end", () => {
    expect(tty.code).toBe(0);
    expect(tty.stdout.match(REDRAW)?.length ?? 0).toBeGreaterThan(0);
    expect(tty.stdout).toContain("\x1b[?25l");
    expect(tty.stdout).toContain("\x1b[?25h");
    expect(tty.stdout).not.toMatch(/^\[\d+s\/5s\]/m); // no plain lines on a terminal
    // Every frame but the first replaces the one before it, log lines in between or not.
    const drawn = tty.stdout.match(/loadworker run ·/g)?.length ?? 0;
    const erased = tty.stdout.match(REDRAW)?.length ?? 0;
    expect(drawn).toBeGreaterThanOrEqual(3);
    expect(erased).toBeGreaterThanOrEqual(drawn - 1);
  });

  test("shows the ramp-up and the run time as progress bars, then the table of names", () => {
    const all = frames(tty.stdout);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.some((f) => /loadworker run · ramping up · \ds elapsed/.test(f) && /Users +\[█+░+\] +\d+% [12]\/3/.test(f))).toBe(true);
    const last = all.at(-1) ?? "";
    expect(last).toMatch(/Run time +\[█+░*\] +\d+% \ds \/ 5s/);
    expect(last).toMatch(/^Name +Requests +Failures +RPS +p50 ms +p95 ms +p99 ms +Max ms$/m);
    expect(last).toMatch(/^GET \/items +\d+ +0 \(0\.0%\) +\d+\.\d +\d+ +\d+ +\d+ +[\d.]+$/m);
    expect(last).toMatch(/^GET \/fail +\d+ +\d+ \(100\.0%\)/m);
    expect(last).toMatch(/^Aggregated +\d+/m);
    for (const line of last.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  test("prints log lines above the frame and the summary after it", () => {
    expect(tty.stdout).toMatch(/starting 3 users at 1\/s for 5s/);
    const summaryAt = tty.stdout.lastIndexOf("Response time percentiles (approximated)");
    expect(summaryAt).toBeGreaterThan(tty.stdout.lastIndexOf("loadworker run ·"));
    expect(tty.stdout).toContain("Run ended after");
  });
});
