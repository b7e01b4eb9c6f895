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
 */
export function classTargets(classes: readonly WeightedClass[], total: number): Record<string, number> {
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
    const name = classes[best]?.name ?? "";
    targets[name] = (targets[name] ?? 0) + 1;
  }
  return targets;
}
