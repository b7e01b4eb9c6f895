// Every definition a define* call made, with the stack where: one made in a task file but not
// exported would do nothing, so api/unexported.ts names it in a warning at start. Append-only, a
// few entries per task file, read once when the tasks are loaded. Holds them as `object` so this
// file needs nothing from definitions.ts (which calls it).
const made: Array<{ readonly definition: object; readonly at: Error }> = [];

export function remember<D extends object>(definition: D): D {
  made.push({ definition, at: new Error("made here") });
  return definition;
}

/** The definitions made since the `since`-th one (madeCount() before loading the task files). */
export function definitionsMade(since: number): ReadonlyArray<{ readonly definition: object; readonly at: Error }> {
  return made.slice(since);
}

export function madeCount(): number {
  return made.length;
}
