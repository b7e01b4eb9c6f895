// When to restart a worker process that died: after `minMs` the first time, then doubling up to a cap,
// so a child that crashes at start-up does not spin; one that ran a while starts afresh.

export interface RestartPolicy {
  /** The delay after the first crash in a row (ms). */
  minMs: number;
  /** The longest delay (ms). */
  maxMs: number;
  /** A child that ran at least this long before dying resets the streak (ms). */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { minMs: 500, maxMs: 30_000, healthyAfterMs: 60_000 };

/** The delay before restarting a child that crashed after `ranMs`, its `streak`-th crash in a row (1-based). */
export function restartDelay(policy: RestartPolicy, streak: number, ranMs: number): { delayMs: number; streak: number } {
  const next = ranMs >= policy.healthyAfterMs ? 1 : streak;
  return { delayMs: Math.min(policy.maxMs, policy.minMs * 2 ** (next - 1)), streak: next };
}
