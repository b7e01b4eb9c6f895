// One stats row per distinct request name: a task that puts an id in every name (/item/123
// without `name`) grows the worker's and the master's memory without bound (Locust does the
// same). Counted only when a name is new, so a request costs nothing here.

/** Distinct names one task may create before the worker warns. */
export const MANY_NAMES = 1_000;

export interface NameWatchOptions {
  warn: (message: string) => void;
  limit?: number;
}

/**
 * Returns what to call when a new (method, name) appears, with the task that recorded it
 * (undefined outside a task); it warns once per task past the limit.
 */
export function nameWatcher(opts: NameWatchOptions): (task: string | undefined, method: string, name: string) => void {
  const limit = opts.limit ?? MANY_NAMES;
  const counts = new Map<string, number>();
  const warned = new Set<string>();
  return (task, method, name) => {
    const key = task ?? "";
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count <= limit || warned.has(key)) return;
    warned.add(key);
    const who = task === undefined ? "code outside any task" : `task "${task}"`;
    opts.warn(
      `${who} has recorded more than ${limit.toLocaleString("en-US")} distinct request names (the latest: ${method} ${name}); ` +
        "every name is a stats row that the worker and the master keep in memory for the whole test. " +
        'If the names differ by an id, give those requests one name: client.get(url, { name: "/item/[id]" }) (or the name you pass to recordSuccess/recordFailure)',
    );
  };
}
