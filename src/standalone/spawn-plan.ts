// How many users of which class should run at a moment of the ramp-up: pure, so the spawner's
// shell only asks "what now?" on each tick.

export interface WeightedClass {
  readonly name: string;
  readonly weight: number;
}

/**
 * Users wanted `elapsedSeconds` into the ramp-up: the first starts at once, then one every
 * 1/rate seconds (Locust's --spawn-rate is users per second), up to `users`.
 */
export function usersAt(elapsedSeconds: number, users: number, spawnRate: number): number {
  if (elapsedSeconds < 0) return 0;
  // The epsilon keeps k/rate from landing a hair short of k (3 × (1/3) is 0.999…).
  return Math.min(users, Math.floor(elapsedSeconds * spawnRate + 1e-9) + 1);
}

/** Seconds until the ramp-up is complete. */
export function rampSeconds(users: number, spawnRate: number): number {
  return Math.max(0, users - 1) / spawnRate;
}

/**
 * Per-class targets for `total` users: the first `total` picks of a smooth weighted round robin,
 * so the split follows the weights at every step of the ramp (3:1 gives A, A, B, A, A, A, B, A…)
 * and growing the total never moves a running user to another class.
 *
 * With `share` (one of several processes, 0-based), only the picks k ≡ index (mod count): the
 * processes together run exactly the picks one process would, so the whole run keeps the split
 * and the ramp of a single process, as the master deals users across workers.
 */
export function classTargets(classes: readonly WeightedClass[], total: number, share: ProcessShare = ONE_PROCESS): Record<string, number> {
  const targets: Record<string, number> = {};
  for (const c of classes) targets[c.name] = 0;
  if (classes.length === 0) return targets;
  const sum = classes.reduce((s, c) => s + c.weight, 0);
  const current = classes.map(() => 0);
  for (let i = 0; i < total; i++) {
    let best = 0;
    for (let k = 0; k < classes.length; k++) {
      current[k] = (current[k] ?? 0) + (classes[k]?.weight ?? 0);
      if ((current[k] ?? 0) > (current[best] ?? 0)) best = k;
    }
    current[best] = (current[best] ?? 0) - sum;
    if (i % share.count !== share.index) continue;
    const name = classes[best]?.name ?? "";
    targets[name] = (targets[name] ?? 0) + 1;
  }
  return targets;
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
