// Locust's response-time histogram keys (stats.py bucket_response_time; docs/PROTOCOL.md,
// Response-time buckets).
// The master never re-buckets, so matching Python's rounding keeps our histograms mergeable
// with Python workers' and the percentiles identical.

/** Python's `round(x)`: ties go to the even neighbour (0.5 → 0, 1.5 → 2, 2.5 → 2, -2.5 → -2). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  // Exact for doubles: x and floor(x) share the exponent range, so no rounding happens here.
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The integer bucket Locust files a response time (ms) under: nearest 1 below 100 ms, nearest 10
 * below 1 s, nearest 100 below 10 s, else nearest 1000; ties to even, as Python's `round`.
 */
export function bucketResponseTime(ms: number): number {
  // round(x, -n) == roundHalfEven(x / 10**n) * 10**n: ties (k*10**n + 5*10**(n-1)) divide exactly.
  if (ms < 100) return roundHalfEven(ms);
  if (ms < 1000) return roundHalfEven(ms / 10) * 10;
  if (ms < 10000) return roundHalfEven(ms / 100) * 100;
  return roundHalfEven(ms / 1000) * 1000;
}
