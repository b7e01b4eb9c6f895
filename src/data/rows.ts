// A data file's rows, held once per process: the file's text and where each row starts (4 bytes
// a row), each row decoded when a user takes it. A 1,000,000-row file costs its text plus 4 MB,
// not a million objects (docs/TEST-DATA.md has the measurement).
import { LoadworkerError } from "../errors.ts";

export interface Rows<T = unknown> {
  readonly file: string;
  readonly size: number;
  /** Row i (0-based, header excluded), a new value on every call. */
  row(i: number): T;
}

/** Where each row starts in `text` (after any blank lines before it), as a compact array. */
export function startsArray(starts: number[]): Uint32Array {
  return Uint32Array.from(starts);
}

/** Row i's text: from its start to the next row's start, without the line break(s) around it. */
export function rowText(text: string, starts: Uint32Array, i: number): string {
  const from = starts[i] as number;
  const to = i + 1 < starts.length ? (starts[i + 1] as number) : text.length;
  let a = from;
  let b = to;
  while (a < b && (text.charCodeAt(a) === 10 || text.charCodeAt(a) === 13)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 10 || text.charCodeAt(b - 1) === 13)) b--;
  return text.slice(a, b);
}

/** The 1-based line of the first character at or after `offset` that is not a line break. */
export function lineAt(text: string, offset: number): number {
  let at = offset;
  while (at < text.length && (text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13)) at++;
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The one message a bad data file gets: the file, the line, what is wrong, what to do. */
export function badFile(file: string, line: number, what: string): LoadworkerError {
  return new LoadworkerError("E_USAGE", `${file}:${line}: ${what}; fix the file and start again`);
}
