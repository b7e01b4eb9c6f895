// Locust's failure table (stats.py StatsError): one row per (method, name, error text), with
// occurrences as deltas and first/last seen, keyed the way Python workers key it.
import { pythonRepr } from "../text/python-repr.ts";
import type { StatsErrorReport } from "./report.ts";

export { pythonRepr };

/**
 * The text Locust shows for an error: strings pass through; an Error reads like Python's
 * `repr(exception)`, e.g. `TypeError('bad')`; anything else is `String(value)`.
 */
export function errorText(error: unknown): string {
  if (typeof error === "string") return error;
  try {
    if (error instanceof Error) return `${error.name}(${pythonRepr(String(error.message))})`;
    return String(error);
  } catch (cause) {
    // e.g. Object.create(null) has no toString; recording must never throw.
    return `${Object.prototype.toString.call(error)} (unprintable: ${cause instanceof Error ? cause.name : "error"})`;
  }
}

/**
 * StatsError.create_key: sha256 hex of `${method}.${name}.${repr(text)}`. The master treats it as
 * opaque, but the same key as a Python worker's lets the master merge identical errors.
 */
export function errorKey(method: string, name: string, text: string): string {
  // node:crypto is loaded by the first failure: imported, it costs every worker RSS.
  return process
    .getBuiltinModule("node:crypto")
    .createHash("sha256")
    .update(`${method}.${name}.${pythonRepr(text)}`, "utf8")
    .digest("hex");
}

/** One StatsError: a (method, name, error text) row with its occurrences and first/last seen. */
export interface ErrorRow {
  readonly key: string;
  readonly name: string;
  readonly method: string;
  readonly error: string;
  occurrences: number;
  firstSeen: number | null;
  lastSeen: number | null;
}

type Lookup = Map<string, Map<string, Map<string, ErrorRow>>>; // method → name → error text → row

/** Errors since the last report, with their keys cached so a repeated failure does not hash. */
export class ErrorTable {
  // Only rows seen in the current or the previous interval stay cached, which bounds memory when
  // error texts are unique (ids or timestamps in messages).
  private lookup: Lookup = new Map();
  private known = new Map<string, ErrorRow>(); // key → cached row
  private touched: ErrorRow[] = []; // rows with occurrences since the last report

  record(method: string, name: string, error: unknown, epoch: number): void {
    const text = errorText(error);
    const byText = textsFor(this.lookup, method, name);
    let row = byText.get(text);
    if (row === undefined) {
      const key = errorKey(method, name, text);
      // Keys can collide ("a.b"+"c" vs "a"+"b.c"); Locust then counts both in one row, so do we.
      row = this.known.get(key) ?? { key, name, method, error: text, occurrences: 0, firstSeen: null, lastSeen: null };
      this.known.set(key, row);
      byText.set(text, row);
    }
    if (row.occurrences === 0) this.touched.push(row);
    row.occurrences += 1;
    row.firstSeen ??= epoch;
    row.lastSeen = epoch;
  }

  /** The errors map for a report; the next interval starts with zeroed rows. */
  drain(): Record<string, StatsErrorReport> {
    const report: Record<string, StatsErrorReport> = {};
    for (const row of this.touched) {
      report[row.key] = {
        name: row.name,
        method: row.method,
        error: row.error,
        occurrences: row.occurrences,
        first_seen: row.firstSeen,
        last_seen: row.lastSeen,
      };
    }
    const lookup: Lookup = new Map();
    const known = new Map<string, ErrorRow>();
    for (const [method, byName] of this.lookup) {
      for (const [name, byText] of byName) {
        for (const [text, row] of byText) {
          if (row.occurrences === 0) continue;
          textsFor(lookup, method, name).set(text, row);
          known.set(row.key, row);
        }
      }
    }
    for (const row of this.touched) {
      row.occurrences = 0;
      row.firstSeen = null;
      row.lastSeen = null;
    }
    this.lookup = lookup;
    this.known = known;
    this.touched = [];
    return report;
  }

  clear(): void {
    this.lookup = new Map();
    this.known = new Map();
    this.touched = [];
  }
}

function textsFor(lookup: Lookup, method: string, name: string): Map<string, ErrorRow> {
  let byName = lookup.get(method);
  if (byName === undefined) {
    byName = new Map();
    lookup.set(method, byName);
  }
  let byText = byName.get(name);
  if (byText === undefined) {
    byText = new Map();
    byName.set(name, byText);
  }
  return byText;
}
