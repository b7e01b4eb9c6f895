// A fixed-window rate limit for log and report floods (task code throwing in a tight loop):
// at most `limit` per window, and once the window rolls over, how many were dropped.

export interface WindowLimit {
  limit: number;
  windowMs: number;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Called at the first event after a window in which some were dropped. */
  onDropped: (count: number) => void;
}

/** Returns a check to call once per event: true to let it through, false to drop it. */
export function windowLimiter({ limit, windowMs, now, onDropped }: WindowLimit): () => boolean {
  let windowStart = -Infinity;
  let passed = 0;
  let dropped = 0;
  return () => {
    const at = now();
    if (at - windowStart >= windowMs) {
      if (dropped > 0) onDropped(dropped);
      windowStart = at;
      passed = 0;
      dropped = 0;
    }
    if (passed >= limit) {
      dropped++;
      return false;
    }
    passed++;
    return true;
  };
}
