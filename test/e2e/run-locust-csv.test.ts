// Our --csv files next to Locust 2.47's own, for the same names against the same server:
// headers byte for byte, and every column of every row in the same format (int, float, N/A,
// timestamp, text), so anything that parses Locust's CSVs parses ours.
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { ROOT, VENV_BIN, startProc, tempDir } from "../support/procs.ts";
import { run } from "../support/run-cli.ts";
import { within } from "../support/wait.ts";

const FILES = ["_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"] as const;
const e2e = useE2e({ tasks: "test/e2e/run-tasks" });
let ours: string;
let theirs: string;

beforeAll(async () => {
  const dir = tempDir("csv");
  ours = join(dir, "ours");
  theirs = join(dir, "locust");
  const locust = startProc(join(VENV_BIN, "locust"), [
    "-f",
    join(ROOT, "test/e2e/run-locustfile.py"),
    "--headless",
    "-u",
    "2",
    "-r",
    "2",
    "-t",
    "4s",
    "--host",
    e2e.server.url,
    "--csv",
    theirs,
    "--only-summary",
  ]);
  const [mine] = await Promise.all([
    run(e2e.binary, ["-u", "2", "-r", "2", "-t", "4s", "--host", e2e.server.url, "--csv", ours]),
    within(locust.exited, 90_000, "locust --headless --csv"),
  ]);
  expect(mine.code).toBe(0);
}, 120_000);

const read = (prefix: string, file: string) => readFileSync(`${prefix}${file}`, "utf8");
const header = (text: string) => text.slice(0, text.indexOf("\r\n") + 2);

/** The shape of one CSV cell. */
function kind(cell: string): string {
  if (cell === "") return "empty";
  if (cell === "N/A") return "N/A";
  if (/^-?\d+$/.test(cell)) return "int";
  if (/^-?\d+\.\d+(e[+-]\d\d)?$/.test(cell)) return "float";
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(cell)) return "utc";
  return "text";
}

// Simple split: none of the compared rows has quoted commas (names and errors are plain here).
const rows = (text: string) =>
  text
    .trimEnd()
    .split("\r\n")
    .slice(1)
    .map((r) => r.split(","));

describe("--csv next to Locust 2.47's --csv", () => {
  test.each(FILES)("%s has Locust's header, byte for byte", (file) => {
    expect(header(read(ours, file))).toBe(header(read(theirs, file)));
  });

  test("_stats.csv rows have Locust's names and the same format in every column", () => {
    const mine = rows(read(ours, "_stats.csv"));
    const locust = rows(read(theirs, "_stats.csv"));
    expect(mine.map((r) => `${r[0]} ${r[1]}`)).toEqual(locust.map((r) => `${r[0]} ${r[1]}`));
    // Min/median may be a whole number in either (a bucket, or a clamp to an exact time); the rest must agree.
    const loose = new Set([4, 6, 7]);
    for (const [i, row] of mine.entries()) {
      const theirsRow = locust[i] ?? [];
      expect(row.length).toBe(theirsRow.length);
      row.forEach((cell, c) => {
        if (loose.has(c)) expect(["int", "float"]).toContain(kind(cell));
        else expect([row[1], c, kind(cell)]).toEqual([row[1], c, kind(theirsRow[c] ?? "")]);
      });
    }
  });

  test("_stats_history.csv rows have the same format as Locust's (six-decimal rates, N/A before data)", () => {
    const mine = rows(read(ours, "_stats_history.csv"));
    const locust = rows(read(theirs, "_stats_history.csv"));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    // Median (19), min (21) and max (22) may be whole numbers in either; the average (20) is always a float.
    const shape = (r: string[]) => r.map((cell, c) => ([19, 21, 22].includes(c) && kind(cell) !== "N/A" ? "number" : kind(cell)));
    const lastMine = mine.at(-1) ?? [];
    const lastLocust = locust.at(-1) ?? [];
    expect(shape(lastMine)).toEqual(shape(lastLocust));
    for (const r of mine) {
      expect(r[2]).toBe("");
      expect(r[3]).toBe("Aggregated");
      expect(r[4]).toMatch(/^\d+\.\d{6}$/);
    }
  });

  test("_failures.csv rows read like Locust's: method, name, error, count, UTC first/last seen", () => {
    const mine = rows(read(ours, "_failures.csv"));
    const locust = rows(read(theirs, "_failures.csv"));
    expect(mine.map((r) => r.map(kind))).toEqual(locust.map((r) => r.map(kind)));
    expect(mine.map((r) => `${r[0]} ${r[1]}`)).toEqual(locust.map((r) => `${r[0]} ${r[1]}`));
  });

  test("_exceptions.csv has a row per distinct traceback with its count and node, as Locust's", () => {
    const mine = read(ours, "_exceptions.csv");
    const locust = read(theirs, "_exceptions.csv");
    expect(mine).toMatch(/\r\n\d+,Error\('boom in a run'\) in explode,"in explode\n[^"]*",local\r\n$/);
    expect(locust).toMatch(/\r\n\d+,boom in a run,"[\s\S]*",local\r\n$/);
  });
});
