// The data file parsers: CSV by papaparse (checked at start, rows split again on demand) and
// JSON lines. papaparse's own full parse is the oracle for the on-demand split.
import { describe, expect, test } from "bun:test";
import Papa from "papaparse";
import { csvRows, splitQuoted } from "../../src/data/csv-rows.ts";
import { jsonlRows } from "../../src/data/jsonl-rows.ts";
import { LoadworkerError } from "../../src/errors.ts";
import { seeded } from "../support/fakes.ts";

const all = <T>(rows: { size: number; row(i: number): T }) => Array.from({ length: rows.size }, (_, i) => rows.row(i));

describe("csvRows", () => {
  test("rows are objects by the header; quotes, doubled quotes, line breaks in quotes, CRLF and blank lines", () => {
    const text = 'id,name,note\r\n1,ann,plain\r\n\r\n2,"b,o,b","say ""hi"""\r\n3,cy,"two\nlines"\r\n';
    const rows = csvRows("x.csv", text, { delimiter: ",", header: true });
    expect(rows.size).toBe(3);
    expect(all(rows)).toEqual([
      { id: "1", name: "ann", note: "plain" },
      { id: "2", name: "b,o,b", note: 'say "hi"' },
      { id: "3", name: "cy", note: "two\nlines" },
    ]);
    expect(rows.row(1)).not.toBe(rows.row(1)); // a new object per call: users may change theirs
  });

  test("without a header, rows are string arrays; a tab delimiter; no line break at the end", () => {
    const rows = csvRows("x.tsv", 'a\tb\nc\t"d\te"', { delimiter: "\t", header: false });
    expect(all(rows)).toEqual([
      ["a", "b"],
      ["c", "d\te"],
    ]);
  });

  test("an unterminated quote is one E_USAGE error naming the file and the line where the row starts", () => {
    const text = 'a,b\n1,2\n3,"four\n5,6\n';
    expect(() => csvRows("/data/users.csv", text, { delimiter: ",", header: true })).toThrow(
      new LoadworkerError(
        "E_USAGE",
        "/data/users.csv:3: a quoted field is never closed (unterminated quote); fix the file and start again",
      ),
    );
  });

  test("a header that names a column twice is refused, naming it (one column would be lost from every row)", () => {
    expect(() => csvRows("u.csv", "id,name,id\n1,a,2\n", { delimiter: ",", header: true })).toThrow(
      'u.csv:1: the header names the column "id" twice (one would be lost from every row): rename one; fix the file and start again',
    );
    expect(csvRows("u.csv", "id,id\n1,2\n", { delimiter: ",", header: false }).row(1)).toEqual(["1", "2"]); // no header: no names
  });

  test("a row with the wrong column count names its line (blank lines counted)", () => {
    const text = "a,b\n1,2\n\n3,4,5\n";
    expect(() => csvRows("u.csv", text, { delimiter: ",", header: true })).toThrow(
      "u.csv:4: 3 fields where the header has 2 (wrong column count); fix the file and start again",
    );
    expect(() => csvRows("u.csv", "1,2\n3\n", { delimiter: ",", header: false })).toThrow("u.csv:2: 1 field where the first row has 2");
  });

  test("splitQuoted agrees with papaparse on 2,000 random rows of quotes, delimiters and line breaks", () => {
    const random = seeded(7);
    const pieces = ["a", "b c", ",", '"', "\n", "", "é", ";"];
    const field = () => {
      const raw = Array.from({ length: Math.floor(random() * 4) }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      return /[",\n]/.test(raw) || random() < 0.3 ? `"${raw.replaceAll('"', '""')}"` : raw;
    };
    for (let n = 0; n < 2000; n++) {
      const line = Array.from({ length: 1 + Math.floor(random() * 4) }, field).join(",");
      if (line === "") continue; // a blank line is no row: skipped at start, never split
      const expected = Papa.parse<string[]>(line, { delimiter: "," }).data[0];
      expect(splitQuoted(line, ",")).toEqual(expected as string[]);
    }
  });
});

describe("jsonlRows", () => {
  test("one value per line, blank lines skipped, a new value per call", () => {
    const rows = jsonlRows("x.jsonl", '{"id":1}\n\n  \n{"id":2,"tags":["a"]}\r\n"three"');
    expect(all(rows)).toEqual([{ id: 1 }, { id: 2, tags: ["a"] }, "three"]);
    expect(rows.row(0)).not.toBe(rows.row(0));
  });

  test("a line that is not JSON names the file and line", () => {
    expect(() => jsonlRows("/d/x.jsonl", '{"id":1}\n\n{"id":\n')).toThrow(
      /^\/d\/x\.jsonl:3: not a JSON value \(.*\); fix the file and start again$/,
    );
  });
});
