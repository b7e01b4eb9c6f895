// Issue 17.6: a handler, hook or user class made in a task file but not exported does nothing (the
// loader collects exports, there is no registry), which used to be silent until the worker warned
// that no handler took a message. Found at start instead, and named in one warning with its line.
import { type AnyDefinition, DEFINITION } from "./definitions.ts";
import { callSite, definitionsMade } from "./made.ts";

/**
 * One warning naming each definition made since the `since`-th (madeCount() before the task files
 * were imported) that is neither among `exported` nor a task of a user class; undefined when none.
 */
export function unexportedWarning(since: number, exported: readonly AnyDefinition[]): string | undefined {
  // Only define* calls are remembered, so each is a definition.
  const made = definitionsMade(since) as ReadonlyArray<{ readonly definition: AnyDefinition; readonly at: Error }>;
  const users = made.map((m) => m.definition).filter((d) => d[DEFINITION] === "user");
  const owned = new Set<AnyDefinition>(users.flatMap((u) => (u[DEFINITION] === "user" ? u.tasks : [])));
  const kept = new Set(exported);
  const missing = made.filter(({ definition }) => !kept.has(definition) && !owned.has(definition));
  if (missing.length === 0) return undefined;
  const names = missing.map(({ definition, at }) => `${describe(definition)}${where(at)}`);
  return `not exported, so not used: ${names.join("; ")}. Export each one from its task file (export const x = …), or remove it`;
}

function describe(definition: AnyDefinition): string {
  switch (definition[DEFINITION]) {
    case "task":
      return `defineTask "${definition.name}"`;
    case "user":
      return `defineUser "${definition.name}"`;
    case "message":
      return `onMessage("${definition.type}")`;
    case "test_start":
      return "onTestStart(…)";
    case "test_stop":
      return "onTestStop(…)";
    case "master_python":
    case "proto_file":
      return definition.file;
  }
}

function where(at: Error): string {
  const site = callSite(at);
  return site === undefined ? "" : ` at ${site}`;
}
