// feeder("users.csv"): a data file's rows for the users, one shared copy per process, handed out
// in file order (wrapping around), at random, or each row at most once across the whole test.
import { StopUser } from "../api/control.ts";
import { LoadworkerError } from "../errors.ts";
import { csvRows } from "./csv-rows.ts";
import { callerFile, locateDataFile } from "./files.ts";
import { jsonlRows } from "./jsonl-rows.ts";
import { MASTER_FEEDERS } from "./master-feeders.ts";
import { addLoadable, addMasterSide, addTestStart, listenForAnswers } from "./registry.ts";
import { hasMaster } from "./requests.ts";
import type { Rows } from "./rows.ts";
import { RESPONSE_TYPE, UniqueRows } from "./unique.ts";

export type FeederOrder = "sequential" | "random" | "unique";

export interface FeederOptions {
  /**
   * `sequential` (default): file order, each process from the first row, starting over after
   * the last; `random`: any row, each time; `unique`: each row to one user only, across every
   * process and worker of the test; when none is left, `next()` throws `StopUser`.
   */
  readonly order?: FeederOrder;
  /** `csv` or `jsonl`; by default from the extension (.jsonl/.ndjson are JSON lines, the rest CSV). */
  readonly format?: "csv" | "jsonl";
  /** The CSV field separator: "," (default; "\t" for .tsv). */
  readonly delimiter?: string;
  /** CSV: true (default) when the first row names the columns (rows are objects), false for string arrays. */
  readonly header?: boolean;
  /** For `random`; Math.random by default. */
  readonly random?: () => number;
}

export interface Feeder<T> {
  readonly file: string;
  /** How many rows the file has (read at start). */
  readonly size: number;
  /** The next row for this user; a new object each time. Call it from a task or `onStart`. */
  next(): Promise<T>;
}

const ORDERS: readonly FeederOrder[] = ["sequential", "random", "unique"];
const shared = new Map<string, Rows>();

/**
 * A data file's rows for the users: `const users = feeder<{ username: string }>("users.csv", { order: "unique" })`
 * at the top of a task file, `const row = await users.next()` in a task. A relative name is looked
 * for in the binary (files the build carried), beside the task file, in the tasks folder, then in
 * the working directory. The file is read and checked at start: a malformed one stops the start
 * with its file and line (exit 2).
 */
export function feeder<T = Record<string, string>>(file: string, opts: FeederOptions = {}): Feeder<T> {
  return makeFeeder<T>(file, callerFile(new Error().stack), opts);
}

export function makeFeeder<T>(file: string, taskFile: string | undefined, opts: FeederOptions): Feeder<T> {
  const order = opts.order ?? "sequential";
  const random = opts.random ?? Math.random;
  let rows: Rows<T> | undefined;
  const load = (): Rows<T> => {
    if (rows) return rows;
    if (!ORDERS.includes(order))
      throw new LoadworkerError("E_CONFIG", `feeder("${file}"): order must be one of ${ORDERS.join(", ")}, not "${order}"`);
    const found = locateDataFile(file, taskFile);
    const jsonl = (opts.format ?? (/\.(jsonl|ndjson)$/i.test(file) ? "jsonl" : "csv")) === "jsonl";
    const delimiter = opts.delimiter ?? (/\.tsv$/i.test(file) ? "\t" : ",");
    const header = opts.header ?? true;
    // Feeders of one file (in two task files, say) share its rows: one copy per process.
    const key = JSON.stringify([found.label, jsonl, delimiter, header]);
    let loaded = shared.get(key) as Rows<T> | undefined;
    if (loaded === undefined) {
      const text = found.text();
      loaded = (jsonl ? jsonlRows(found.label, text) : csvRows(found.label, text, { delimiter, header })) as Rows<T>;
      if (loaded.size === 0) throw new LoadworkerError("E_USAGE", `${found.label}: no rows to feed; add rows or remove the feeder`);
      shared.set(key, loaded);
    }
    rows = loaded;
    return loaded;
  };
  let cursor = 0;
  const unique = new UniqueRows(file, () => load().size);
  const gone = () => new StopUser(`feeder("${file}") has no unique rows left`);
  const feeder: Feeder<T> = {
    file,
    get size() {
      return load().size;
    },
    next(): Promise<T> {
      const table = load();
      if (order === "sequential") {
        const i = cursor;
        cursor = i + 1 === table.size ? 0 : i + 1;
        return Promise.resolve(table.row(i));
      }
      if (order === "random") return Promise.resolve(table.row(Math.floor(random() * table.size)));
      if (!hasMaster(`feeder("${file}")`)) {
        const i = unique.local();
        return i === undefined ? Promise.reject(gone()) : Promise.resolve(table.row(i));
      }
      return unique.fromMaster().then((i) => {
        if (i === undefined) throw gone();
        return table.row(i);
      });
    },
  };
  addLoadable({
    load: () => void load(),
    release: () => {
      rows = undefined;
      shared.clear();
    },
  });
  addTestStart(() => {
    cursor = 0;
    unique.reset();
  });
  if (order === "unique") {
    listenForAnswers(RESPONSE_TYPE);
    addMasterSide(MASTER_FEEDERS);
  }
  return feeder;
}
