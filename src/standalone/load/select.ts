// Which user classes a standalone run starts: all of them by weight, or the classes and tasks
// named on the command line (a named task runs in its own class, with only the named tasks),
// narrowed by the tags.
import type { AnyUserDefinition } from "../../api/definitions.ts";
import type { Plan } from "../../api/plan.ts";
import { type TagFilter, tasksFor } from "../../users/classes.ts";

export type Selection = { ok: true; classes: AnyUserDefinition[] } | { ok: false; error: string };
/** `dropped`: the classes the tags left without tasks. */
export type TagSelection = { ok: true; classes: AnyUserDefinition[]; dropped: string[] } | { ok: false; error: string };

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
    return {
      ok: false,
      error: `no user class or task named ${unknown.map((n) => JSON.stringify(n)).join(", ")}; user classes: ${classes}; tasks: ${tasks}`,
    };
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

/**
 * `--tags` / `--exclude-tags` (Locust's filter_tasks_by_tags) applied before the run: each class
 * keeps the tasks that pass, and a class left without tasks is not started at all (no master
 * split to keep, and its users would only idle). None left is a usage error naming the tags.
 */
export function filterByTags(classes: readonly AnyUserDefinition[], filter: TagFilter): TagSelection {
  if (filter.tags === null && filter.excludeTags === null) return { ok: true, classes: [...classes], dropped: [] };
  const kept: AnyUserDefinition[] = [];
  const dropped: string[] = [];
  for (const user of classes) {
    const tasks = tasksFor(user.tasks, undefined, filter);
    if (tasks.length === 0) dropped.push(user.name);
    else kept.push(tasks.length === user.tasks.length ? user : { ...user, tasks });
  }
  if (kept.length === 0) {
    const known = [...new Set(classes.flatMap((u) => u.tasks.flatMap((t) => t.tags)))].sort();
    const asked = [
      filter.tags && `--tags ${[...filter.tags].join(",")}`,
      filter.excludeTags && `--exclude-tags ${[...filter.excludeTags].join(",")}`,
    ]
      .filter(Boolean)
      .join(" ");
    return {
      ok: false,
      error: `no task is left to run after ${asked}; the selected tasks' tags: ${known.length > 0 ? known.join(", ") : "(none)"}`,
    };
  }
  return { ok: true, classes: kept, dropped };
}

/** `--equal-weights` (Locust's Environment.assign_equal_weights): every class weight 1, every task of a class equally likely. */
export function equalWeights(classes: readonly AnyUserDefinition[]): AnyUserDefinition[] {
  return classes.map((user) => ({ ...user, weight: 1, tasks: user.tasks.map((t) => (t.weight === 1 ? t : { ...t, weight: 1 })) }));
}
