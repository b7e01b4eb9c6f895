// Locust's "Final ratio" of its HTML report (locust/user/inspectuser.py, get_ratio): each user
// class's share of the users running when the run stopped, and each task's share by weight, within
// its class (`per_class`) or of every task run (`total`). Locust lists a task once per unit of
// weight and divides by the list's length; a weight here is that count, with the same arithmetic.

export interface RatioClass {
  readonly name: string;
  readonly tasks: readonly { readonly name: string; readonly weight: number }[];
}

export interface ClassRatio {
  ratio: number;
  tasks: Record<string, { ratio: number }>;
}

export interface TaskRatio {
  per_class: Record<string, ClassRatio>;
  total: Record<string, ClassRatio>;
}

/** `spawned`: users by class when the run stopped (Locust's final_user_classes_count). */
export function taskRatio(classes: readonly RatioClass[], spawned: Readonly<Record<string, number>>): TaskRatio {
  return { per_class: ratios(classes, spawned, false), total: ratios(classes, spawned, true) };
}

function ratios(classes: readonly RatioClass[], spawned: Readonly<Record<string, number>>, total: boolean): Record<string, ClassRatio> {
  const userCount = Object.values(spawned).reduce((sum, n) => sum + n, 0) || 1;
  const out: Record<string, ClassRatio> = {};
  for (const user of classes) {
    const ratio = (spawned[user.name] ?? 0) / userCount;
    const parent = total ? ratio : 1.0;
    const weights = user.tasks.reduce((sum, t) => sum + t.weight, 0);
    const tasks: Record<string, { ratio: number }> = {};
    for (const t of user.tasks) tasks[t.name] = { ratio: (t.weight * parent) / weights };
    out[user.name] = { ratio, tasks };
  }
  return out;
}

/**
 * Locust's users by class for `--show-task-ratio` (inspectuser.py, _calc_distribution): the fixed
 * counts, the rest of `users` by weight, each rounded as Python's round() does (half to even);
 * without -u, the classes' total weight (or 1 user when a class has a fixed count).
 */
export function plannedSpawn(
  classes: readonly { readonly name: string; readonly weight: number; readonly fixedCount?: number }[],
  users: number | undefined,
): Record<string, number> {
  const fixed = classes.reduce((sum, c) => sum + (c.fixedCount || 0), 0);
  const totalWeight = classes.reduce((sum, c) => sum + (c.fixedCount ? 0 : c.weight), 0);
  const wanted = users || (fixed === 0 ? totalWeight : 1);
  const weighted = Math.max(0, wanted - fixed);
  const counts: Record<string, number> = {};
  for (const c of classes) counts[c.name] = roundHalfEven(c.fixedCount || (c.weight / totalWeight) * weighted);
  return counts;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor; // exact for these magnitudes
  if (rest !== 0.5) return rest < 0.5 ? floor : floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
