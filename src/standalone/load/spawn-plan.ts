// How many users of which class should run at a moment of the ramp-up: pure, so the spawner's
// shell only asks "what now?" on each tick.

export interface WeightedClass {
  readonly name: string;
  readonly weight: number;
  /** Locust's fixed_count: this many users whatever the total, started before the weighted ones; 0 or absent: by weight. */
  readonly fixedCount?: number;
}

/**
 * Users wanted `elapsedSeconds` into the ramp-up, in Locust's dispatch steps (its
 * UsersDispatcher): floor(rate) users at once (at least 1), the next step floor(rate)/rate
 * seconds later, up to `users`. A user that stopped itself is replaced only when a step comes,
 * since Locust's runner tops each step up to its target from the users still running.
 */
export function usersAt(elapsedSeconds: number, users: number, spawnRate: number): number {
  if (elapsedSeconds < 0) return 0;
  const step = spawnStep(spawnRate);
  // The epsilon keeps k × wait from landing a hair short of a step (3 × (1/3) is 0.999…).
  return Math.min(users, (Math.floor(elapsedSeconds / step.seconds + 1e-9) + 1) * step.users);
}

/** Locust's dispatch step for a spawn rate: how many users, and the seconds between steps. */
export function spawnStep(spawnRate: number): { users: number; seconds: number } {
  const users = Math.max(1, Math.floor(spawnRate));
  return { users, seconds: users / spawnRate };
}

/** Seconds until the ramp-up is complete. */
export function rampSeconds(users: number, spawnRate: number): number {
  const step = spawnStep(spawnRate);
  return Math.max(0, Math.ceil(users / step.users) - 1) * step.seconds;
}

/**
 * Per-class targets for `total` users, as Locust's UsersDispatcher picks them: the classes with a
 * fixedCount first (their counts), then the others in the order of Locust's Kullback-Leibler
 * generator, so the split is Locust's at every step of the ramp (3:1 gives A, B, A, A, A, B, A,
 * A…) and growing the total never moves a running user to another class. When every class has
 * a fixedCount, the users beyond their sum are not started (Locust starts none either).
 *
 * With `share` (one of several processes, 0-based), only the picks k ≡ index (mod count): the
 * processes together run exactly the picks one process would, so the whole run keeps the split
 * and the ramp of a single process, as the master deals users across workers.
 */
export function classTargets(classes: readonly WeightedClass[], total: number, share: ProcessShare = ONE_PROCESS): Record<string, number> {
  const targets: Record<string, number> = {};
  for (const c of classes) targets[c.name] = 0;
  let k = 0;
  for (const name of picks(classes)) {
    if (k >= total) break;
    if (k % share.count === share.index) targets[name] = (targets[name] ?? 0) + 1;
    k++;
  }
  return targets;
}

/** Users started for `total` when each fixed class has its count: less than `total` only when every class is fixed. */
export function plannedUsers(classes: readonly WeightedClass[], total: number): number {
  if (classes.some((c) => !isFixed(c))) return total;
  return Math.min(
    total,
    classes.reduce((s, c) => s + (c.fixedCount ?? 0), 0),
  );
}

export function isFixed(c: WeightedClass): boolean {
  return (c.fixedCount ?? 0) > 0;
}

/** The classes in the order users of them start: every fixed user, then weighted picks without end. */
function* picks(classes: readonly WeightedClass[]): Generator<string> {
  const fixed = classes.filter(isFixed).map((c) => ({ name: c.name, weight: c.fixedCount ?? 0 }));
  const fixedSum = fixed.reduce((s, c) => s + c.weight, 0);
  const rounds = klGenerator(fixed);
  for (let i = 0; i < fixedSum; i++) yield rounds.next().value as string;
  const weighted = classes.filter((c) => !isFixed(c) && c.weight > 0);
  if (weighted.length === 0) return;
  yield* klGenerator(weighted);
}

/**
 * Locust 2.47's _kl_generator (dispatch.py): each pick is the class whose next user lowers the
 * Kullback-Leibler divergence most; the min of its heap of (gain, picks + weight, weight, name)
 * tuples, ties broken as Python compares them.
 */
export function* klGenerator(classes: readonly { readonly name: string; readonly weight: number }[]): Generator<string> {
  const entries = classes
    .filter((c) => c.weight > 0)
    .map((c) => ({ gain: c.weight * Math.log2(c.weight / (c.weight + 1)), x: c.weight + 1, ...c }));
  const before = (a: (typeof entries)[number], b: (typeof entries)[number]) =>
    a.gain !== b.gain ? a.gain < b.gain : a.x !== b.x ? a.x < b.x : a.weight !== b.weight ? a.weight < b.weight : a.name < b.name;
  for (;;) {
    let best = entries[0];
    if (best === undefined) return;
    for (const e of entries) if (before(e, best)) best = e;
    yield best.name;
    best.gain = best.weight * Math.log2(best.x / (best.x + 1));
    best.x += 1;
  }
}

/** Nginx's smooth weighted round robin: over one cycle of sum(weights) picks, each class exactly its weight. */
export function* smoothRoundRobin(classes: readonly { readonly name: string; readonly weight: number }[]): Generator<string> {
  if (classes.length === 0) return;
  const sum = classes.reduce((s, c) => s + c.weight, 0);
  const current = classes.map(() => 0);
  for (;;) {
    let best = 0;
    for (let k = 0; k < classes.length; k++) {
      current[k] = (current[k] ?? 0) + (classes[k]?.weight ?? 0);
      if ((current[k] ?? 0) > (current[best] ?? 0)) best = k;
    }
    current[best] = (current[best] ?? 0) - sum;
    yield classes[best]?.name ?? "";
  }
}

/** Which of `count` processes this is (0-based `index`); a run without --processes is 0 of 1. */
export interface ProcessShare {
  readonly index: number;
  readonly count: number;
}

export const ONE_PROCESS: ProcessShare = { index: 0, count: 1 };

/** Users of `total` that process `share` runs (the picks k ≡ index mod count). */
export function usersInShare(total: number, share: ProcessShare): number {
  return total <= share.index ? 0 : Math.floor((total - share.index - 1) / share.count) + 1;
}
