// Reconnect delays: exponential, capped, with jitter so a fleet of workers that lost the same
// master does not come back in lockstep.

/** Delay before reconnect attempt `attempt` (0-based): half fixed, half random, within [min, max]. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(Math.max(minMs, Math.min(maxMs, jittered)));
}
