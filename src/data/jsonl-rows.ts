// JSON-lines rows: one JSON value per line, blank lines skipped. Every line is parsed once at
// start to check it, then again when a user takes it (a new value each time, so users may change it).
import { type Rows, badFile, rowText, startsArray } from "./rows.ts";

export function jsonlRows(file: string, text: string): Rows {
  const starts: number[] = [];
  let line = 0;
  for (let from = 0; from < text.length; ) {
    const end = text.indexOf("\n", from);
    const to = end === -1 ? text.length : end;
    line++;
    const body = text.slice(from, to).trim();
    if (body !== "") {
      try {
        JSON.parse(body);
      } catch (error) {
        throw badFile(file, line, `not a JSON value (${(error as Error).message})`);
      }
      starts.push(from);
    }
    from = to + 1;
  }
  const at = startsArray(starts);
  return { file, size: at.length, row: (i) => JSON.parse(rowText(text, at, i)) };
}
