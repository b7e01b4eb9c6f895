// Every definition a define* call made, with the stack where: one made in a task file but not
// exported would do nothing, so api/unexported.ts names it in a warning at start, and the plan
// names the file and line of a definition it refuses. Append-only, a few entries per task file,
// read once when the tasks are loaded. Holds them as `object` so this file needs nothing from
// definitions.ts (which calls it).
import { relative } from "node:path";

const made: Array<{ readonly definition: object; readonly at: Error }> = [];
const madeHere = new WeakMap<object, Error>();

export function remember<D extends object>(definition: D): D {
  const at = new Error("made here");
  made.push({ definition, at });
  madeHere.set(definition, at);
  return definition;
}

/** The definitions made since the `since`-th one (madeCount() before loading the task files). */
export function definitionsMade(since: number): ReadonlyArray<{ readonly definition: object; readonly at: Error }> {
  return made.slice(since);
}

export function madeCount(): number {
  return made.length;
}

/** Where the define* call that made `definition` is, e.g. "loadtests/shop.ts:12" (cwd-relative), if known. */
export function madeAt(definition: object): string | undefined {
  const at = madeHere.get(definition);
  return at === undefined ? undefined : callSite(at);
}

// The first stack frame in a file outside definitions and made (.ts, or .js in the package's dist/
// that Deno runs): the define* call in the task file (not `native:1`, Array.map's, either).
export function callSite(at: Error): string | undefined {
  const locations = (at.stack ?? "")
    .split("\n")
    .slice(1)
    .filter((line) => !/api[\\/](definitions|made)\.[jt]s/.test(line))
    .map((line) => line.match(/\(?((?:file:\/\/)?[^\s(]+:\d+):\d+\)?$/)?.[1]);
  const location = locations.find((l) => l !== undefined && !/^(native|node:|bun:|internal[:/])/.test(l));
  if (location === undefined) return undefined;
  const path = location.replace(/^file:\/\//, "");
  return path.startsWith("/") ? relative(process.cwd(), path) : path;
}
