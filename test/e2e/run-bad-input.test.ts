// Bad input to `loadworker run`: a clear message that names the flag (or file) and what to do,
// exit 2, and not one request sent.
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { tempDir } from "../support/procs.ts";
import { run } from "../support/run-cli.ts";

const e2e = useE2e({ tasks: "test/e2e/run-tasks" });
let dir: string;

beforeAll(async () => {
  dir = tempDir("bad");
  writeFileSync(join(dir, "a-file"), "");
  mkdirSync(join(dir, "a-folder"));
});

const cases: Array<[string, () => string[], RegExp]> = [
  ["a threshold that does not parse", () => ["--threshold", "p95<<5"], /--threshold: threshold 'p95<<5': '<5' is not a number/],
  [
    "an unknown metric",
    () => ["--threshold", "latency<5"],
    /unknown metric 'latency'; metrics: requests, failures, fail_ratio, rps, avg, min, max, median, p50/,
  ],
  ["'=' for '=='", () => ["--threshold", "failures=0"], /'=' is not an operator; use '=='/],
  ["-t 5x", () => ["-t", "5x"], /-t\/--run-time must be a time span such as 20, 20s, 3m, 2h, 1h20m, 3h30m10s, got "5x"/],
  ["-u -3", () => ["-u", "-3"], /-u\/--users must be a whole number 1 or more, got "-3"/],
  ["-r 0", () => ["-r", "0"], /-r\/--spawn-rate must be a number of users per second above 0/],
  ["--stop-timeout abc", () => ["--stop-timeout", "abc"], /--stop-timeout must be a time span/],
  ["--exit-code-on-error 300", () => ["--exit-code-on-error", "300"], /--exit-code-on-error must be a whole number from 0 to 255/],
  ["--abort-on-fail without a threshold", () => ["--abort-on-fail"], /--abort-on-fail needs at least one --threshold/],
  [
    "--csv-full-history without --csv",
    () => ["--csv-full-history"],
    /--csv-full-history adds rows to the CSV files' history: give --csv PREFIX too/,
  ],
  [
    "a class or task that does not exist",
    () => ["Nobody"],
    /no user class or task named "Nobody"; user classes: .*Shopper.*; tasks: .*list items/,
  ],
  [
    "a --json path under a file",
    () => ["--json", join(dir, "a-file", "r.json")],
    /cannot write the --json report file ".*a-file\/r\.json": a part of the path is a file, not a folder \((ENOTDIR|EEXIST)\)/,
  ],
  [
    "an --html path that is a folder",
    () => ["--html", join(dir, "a-folder")],
    /cannot write the --html report file ".*a-folder": it is a folder \(EISDIR\)/,
  ],
  [
    "a --csv prefix under a file",
    () => ["--csv", join(dir, "a-file", "run")],
    /cannot write the --csv report file ".*a-file\/run_stats\.csv": a part of the path is a file/,
  ],
  ["a mistyped flag", () => ["--treshold", "p95<5"], /unknown flag "--treshold" for loadworker run/],
  [
    "--arrival-rate 0",
    () => ["--arrival-rate", "0"],
    /--arrival-rate must be iterations per second above 0, such as 50, 50\/s or 300\/m; got "0"/,
  ],
  ["--arrival-rate -5", () => ["--arrival-rate=-5"], /--arrival-rate must be iterations per second above 0.*got "-5"/],
  ["--arrival-rate abc", () => ["--arrival-rate", "abc"], /--arrival-rate must be iterations per second above 0.*got "abc"/],
  ["--stages that do not parse", () => ["--stages", "30s:50,soon:9"], /--stages: "soon:9" is not DURATION:RATE/],
  ["--max-users 0", () => ["--arrival-rate", "10", "--max-users", "0"], /--max-users must be a whole number of users, 1 or more, got "0"/],
  [
    "--max-users without a rate",
    () => ["--max-users", "5"],
    /--max-users applies to the open model: give --arrival-rate R or --stages too/,
  ],
  [
    "dropped_iterations with a name",
    () => ["--threshold", "/x:dropped_iterations<1"],
    /dropped_iterations counts the whole run; write it without a name/,
  ],
];

describe("loadworker run with bad input", () => {
  test.each(cases)(
    "%s: exit 2 with a clear message, before any load",
    async (_, args, message) => {
      const before = e2e.server.total();
      const result = await run(e2e.binary, ["-u", "2", "-t", "5s", "--host", e2e.server.url, ...args()]);
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(e2e.server.total()).toBe(before);
    },
    30_000,
  );

  test("a bad threshold stops the run before the report files are created", async () => {
    const json = join(dir, "never.json");
    const result = await run({ kind: "source" }, ["--json", json, "--threshold", "p101<5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown metric 'p101'");
    expect(existsSync(json)).toBe(false);
  }, 30_000);
});
