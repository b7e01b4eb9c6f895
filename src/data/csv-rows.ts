// CSV rows by papaparse (5.7.1; 7x faster than csv-parse 7.0.3 on a 1,000,000-row file, see
// docs/TEST-DATA.md): parsed once at start to check the file and find where rows start, then each
// row parsed again when a user takes it (a split when it has no quotes, the common case).
import Papa from "papaparse";
import { type Rows, badFile, lineAt, rowText, startsArray } from "./rows.ts";

export interface CsvOptions {
  /** The field separator: "," (default; "\t" for .tsv files). */
  readonly delimiter: string;
  /** true: the first row names the columns and rows are objects; false: rows are string arrays. */
  readonly header: boolean;
}

export function csvRows(file: string, text: string, opts: CsvOptions): Rows<Record<string, string> | string[]> {
  const { delimiter } = opts;
  const starts: number[] = [];
  let columns: string[] | undefined;
  let width = -1;
  let last = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: true,
    step: (result) => {
      const from = last;
      last = result.meta.cursor;
      const error = result.errors[0];
      if (error !== undefined) throw badFile(file, lineAt(text, from), describe(error));
      const fields = result.data;
      if (width < 0) {
        width = fields.length;
        if (opts.header) {
          // A name twice would leave one column out of every row (as Python's DictReader does, silently).
          const twice = fields.find((name, i) => fields.indexOf(name) !== i);
          if (twice !== undefined)
            throw badFile(
              file,
              lineAt(text, from),
              `the header names the column "${twice}" twice (one would be lost from every row): rename one`,
            );
          columns = fields;
          return;
        }
      } else if (fields.length !== width) {
        const first = opts.header ? "the header has" : "the first row has";
        const count = (n: number) => `${n} field${n === 1 ? "" : "s"}`;
        throw badFile(file, lineAt(text, from), `${count(fields.length)} where ${first} ${width} (wrong column count)`);
      }
      starts.push(from);
    },
  });
  const at = startsArray(starts);
  const split = (line: string): string[] => (line.includes('"') ? splitQuoted(line, delimiter) : line.split(delimiter));
  const names = columns;
  return {
    file,
    size: at.length,
    row: names
      ? (i) => {
          const fields = split(rowText(text, at, i));
          const row: Record<string, string> = {};
          for (let c = 0; c < names.length; c++) row[names[c] as string] = fields[c] as string;
          return row;
        }
      : (i) => split(rowText(text, at, i)),
  };
}

/**
 * One row that papaparse already accepted at start, split again: a field that starts with a
 * quote runs to the quote that closes it ("" inside is one quote). Faster than a new parse.
 */
export function splitQuoted(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line.charCodeAt(at) === 34) {
      let value = "";
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) return [...fields, value + line.slice(from)]; // cannot happen: checked at start
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
      if (!line.startsWith(delimiter, at)) return fields;
      at += delimiter.length;
    } else {
      const end = line.indexOf(delimiter, at);
      if (end === -1) return [...fields, line.slice(at)];
      fields.push(line.slice(at, end));
      at = end + delimiter.length;
    }
  }
}

function describe(error: Papa.ParseError): string {
  if (error.code === "MissingQuotes") return "a quoted field is never closed (unterminated quote)";
  if (error.code === "InvalidQuotes") return "a quote inside a quoted field is not doubled (invalid quotes)";
  return `${error.message} (${error.code})`;
}
