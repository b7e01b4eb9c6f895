import { describe, expect, test } from "bun:test";
import { bucketResponseTime, roundHalfEven } from "../../src/stats/bucket.ts";
import { runLocustScript } from "../protocol/locust_python.ts";

// Expected values were computed with Python 3.11 and Locust 2.47.0's own functions:
//   from locust.stats import bucket_response_time; [(v, bucket_response_time(v)) for v in ...]
//   [(v, round(v)) for v in ...]
const BUCKETS: Array<[number, number]> = [
  [0, 0],
  [0.2, 0],
  [0.5, 0],
  [1.5, 2],
  [2.5, 2],
  [3.5, 4],
  [5.5, 6],
  [47.5, 48],
  [98.5, 98],
  [99.4, 99],
  [99.5, 100],
  [99.9, 100],
  [100, 100],
  [104.9, 100],
  [105, 100],
  [115, 120],
  [145, 140],
  [145.1, 150],
  [147.3, 150],
  [155, 160],
  [994.9, 990],
  [995, 1000],
  [999.9, 1000],
  [1000, 1000],
  [1049.9, 1000],
  [1050, 1000],
  [1150, 1200],
  [1250, 1200],
  [1350, 1400],
  [3432, 3400],
  [9949.9, 9900],
  [9950, 10000],
  [9999, 10000],
  [10000, 10000],
  [10499, 10000],
  [10500, 10000],
  [11500, 12000],
  [58760, 59000],
  [1234567.8, 1235000],
];

const ROUNDS: Array<[number, number]> = [
  [0.5, 0],
  [1.5, 2],
  [2.5, 2],
  [7.5, 8],
  [-0.5, 0],
  [-1.5, -2],
  [-2.5, -2],
  [0.49999999999999994, 0],
  [2.675, 3],
  [4503599627370495.5, 4503599627370496],
];

describe("roundHalfEven", () => {
  test.each(ROUNDS)("rounds %p like Python's round() to %p", (x, expected) => {
    expect(roundHalfEven(x)).toBe(expected);
  });
});

describe("bucketResponseTime", () => {
  test.each(BUCKETS)("files %p ms under %p like Locust", (ms, expected) => {
    expect(bucketResponseTime(ms)).toBe(expected);
  });

  test("always returns an integer", () => {
    for (const [ms] of BUCKETS) expect(Number.isInteger(bucketResponseTime(ms))).toBe(true);
  });
});

// The next double above x (x > 0): probes the edges of every tie.
function nextUp(x: number): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = (bits[0] ?? 0n) + 1n;
  return new Float64Array(bits.buffer)[0] ?? Number.NaN;
}

function nextDown(x: number): number {
  const bits = new BigInt64Array(new Float64Array([x]).buffer);
  bits[0] = (bits[0] ?? 0n) - 1n;
  return new Float64Array(bits.buffer)[0] ?? Number.NaN;
}

describe("against Locust's bucket_response_time, run in the venv", () => {
  test("agrees on every tie, its neighbouring doubles and 20000 pseudo-random times", () => {
    const inputs: number[] = [];
    // Every tie of every branch, and the doubles just around them.
    for (let i = 0; i < 100; i++) inputs.push(i + 0.5);
    for (let i = 10; i < 100; i++) inputs.push(i * 10 + 5);
    for (let i = 10; i < 100; i++) inputs.push(i * 100 + 50);
    for (let i = 10; i < 200; i++) inputs.push(i * 1000 + 500);
    for (const tie of [...inputs]) inputs.push(nextUp(tie), nextDown(tie));
    // A deterministic LCG spread over 0..100 s with fractional ms (what performance.now() gives).
    let seed = 12345;
    for (let i = 0; i < 20000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const scale = 10 ** ((i % 5) + 1);
      inputs.push((seed / 2 ** 31) * scale);
    }
    const python = runLocustScript("locust_stats_rules.py", { bucket: inputs, round: inputs, errors: [] }) as {
      bucket: number[];
      round: number[];
    };
    const mismatches = inputs
      .map((ms, i) => ({ ms, ours: bucketResponseTime(ms), locust: python.bucket[i] }))
      .filter((row) => row.ours !== row.locust);
    expect(mismatches).toEqual([]);
    const roundMismatches = inputs
      .map((x, i) => ({ x, ours: roundHalfEven(x), python: python.round[i] }))
      .filter((row) => row.ours !== row.python);
    expect(roundMismatches).toEqual([]);
  });
});
