// Which user classes a standalone run starts: all of them by weight, or the classes and tasks
// named on the command line (a named task runs in its own class, with only the named tasks).
import type { UserDefinition } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";

export type Selection = { ok: true; classes: UserDefinition<any>[] } | { ok: false; error: string };

export function selectClasses(plan: Plan, names: readonly string[]): Selection {
  if (names.length === 0) return { ok: true, classes: [...plan.users] };
  const whole = new Set<string>();
  const tasksByClass = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const name of names) {
    if (plan.users.some((u) => u.name === name)) whole.add(name);
    else {
      const owner = plan.tasks.get(name);
      if (owner === undefined) unknown.push(name);
      else tasksByClass.set(owner.user.name, (tasksByClass.get(owner.user.name) ?? new Set()).add(name));
    }
  }
  if (unknown.length > 0) {
    const classes = plan.users.map((u) => u.name).join(", ");
    const tasks = [...plan.tasks.keys()].join(", ");
    return { ok: false, error: `no user class or task named ${unknown.map((n) => JSON.stringify(n)).join(", ")}; user classes: ${classes}; tasks: ${tasks}` };
  }
  const classes = plan.users.flatMap((user) => {
    if (whole.has(user.name)) return [user];
    const picked = tasksByClass.get(user.name);
    if (picked === undefined) return [];
    // Same class name and hooks, fewer tasks: the stats and the summary still read per class.
    return [{ ...user, tasks: user.tasks.filter((t) => picked.has(t.name)) }];
  });
  return { ok: true, classes };
}
