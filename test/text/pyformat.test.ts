import { describe, expect, test } from "bun:test";
import { compareCodePoints, csvRow, pyFixed, pyFloat, pyInt, pyNumber } from "../../src/text/pyformat.ts";
import { runLocustScript } from "../protocol/locust_python.ts";

const FLOATS = [
  0, 0.1, 0.5, 1, 1.5, 12.345678901234567, 100, 1e-4, 1.5e-4, 1e-5, 1.5e-5, 123456789012345.6, 1e15, 9999999999999998, 1e16, 1.5e16, 1e22,
  2.5e-300, 5e-324, -0.001, -12.5, 1684.4363609640318, 0.30000000000000004,
];
const FIXED: Array<[number, number]> = [
  [0.125, 2],
  [0.375, 2],
  [2.675, 2],
  [1.005, 2],
  [0.5, 0],
  [1.5, 0],
  [2.5, 0],
  [-0.001, 2],
  [0, 2],
  [13.182959961499755, 2],
  [99.995, 2],
  [12345.6789, 6],
  [0.0000005, 6],
  [1e20, 2],
  [66.66666666666667, 2],
];
const ROWS = [
  ["plain", "with,comma", 'with "quotes"', "line\nbreak", "cr\rhere", "", " lead", "压测", "😀"],
  [""],
  ["tab\there", "semi;colon", "'single'"],
];

describe("Python number and CSV formatting", () => {
  const py = runLocustScript("locust_report_rules.py", {
    created: 1_795_592_059,
    reports: [],
    exceptions: [],
    now: 1_795_592_060,
    user_count: 0,
    name_width: 80,
    floats: FLOATS,
    fixed: FIXED,
    csv_rows: ROWS,
  }) as { floats: string[]; fixed: string[]; csv_rows: string[] };

  test("pyFloat prints every float as Python's repr", () => {
    expect(FLOATS.map(pyFloat)).toEqual(py.floats);
  });

  test("pyFixed rounds half to even on the exact binary value, as Python's %.Nf", () => {
    expect(FIXED.map(([x, d]) => pyFixed(x, d))).toEqual(py.fixed);
  });

  test("csvRow quotes and terminates rows as Python's csv.writer", () => {
    expect(ROWS.map((row) => csvRow(row))).toEqual(py.csv_rows);
  });

  test("pyNumber prints integral values as ints and the rest as floats", () => {
    expect(pyNumber(15000)).toBe("15000");
    expect(pyNumber(0.3)).toBe("0.3");
  });

  test("pyInt truncates toward zero like %d", () => {
    expect(pyInt(12.9)).toBe("12");
    expect(pyInt(-0.5)).toBe("0");
  });

  test("compareCodePoints sorts past U+FFFF as Python does", () => {
    const names = ["😀", "\uE000", "a"];
    expect([...names].sort(compareCodePoints)).toEqual(["a", "\uE000", "😀"]);
    expect([...names].sort()).not.toEqual(["a", "\uE000", "😀"]); // JS's own order differs
  });
});
