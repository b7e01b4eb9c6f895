import { describe, expect, test } from "bun:test";
import { weightedPicker } from "../../src/users/pick.ts";
import { seeded } from "../support/fakes.ts";

function tally<T>(pick: () => T, n: number): Map<T, number> {
  const counts = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    const item = pick();
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

describe("weightedPicker", () => {
  // 20 000 picks at p = 0.25: the standard deviation of the share is sqrt(p(1-p)/n) ≈ 0.0031,
  // so ±0.015 is almost 5 sigma: a correct picker never fails it, an unweighted one (0.5) or an
  // off-by-one in the search (0 or 1) always does.
  const N = 20_000;
  const TOLERANCE = 0.015;

  test("picks items in proportion to their weights (1:3 is about 25% / 75%)", () => {
    const pick = weightedPicker(["light", "heavy"], (s) => (s === "light" ? 1 : 3), seeded(42));
    const counts = tally(pick, N);
    expect(Math.abs((counts.get("light") ?? 0) / N - 0.25)).toBeLessThan(TOLERANCE);
    expect(Math.abs((counts.get("heavy") ?? 0) / N - 0.75)).toBeLessThan(TOLERANCE);
  });

  test("spreads fractional weights 0.5 : 1 : 3.5 as 10% / 20% / 70%", () => {
    const weights: Record<string, number> = { a: 0.5, b: 1, c: 3.5 };
    const counts = tally(
      weightedPicker(["a", "b", "c"], (s) => weights[s] as number, seeded(7)),
      N,
    );
    expect(Math.abs((counts.get("a") ?? 0) / N - 0.1)).toBeLessThan(TOLERANCE);
    expect(Math.abs((counts.get("b") ?? 0) / N - 0.2)).toBeLessThan(TOLERANCE);
    expect(Math.abs((counts.get("c") ?? 0) / N - 0.7)).toBeLessThan(TOLERANCE);
  });

  test("maps the edges of the random source onto the first and last item", () => {
    const items = ["first", "middle", "last"];
    expect(
      weightedPicker(
        items,
        () => 1,
        () => 0,
      )(),
    ).toBe("first");
    expect(
      weightedPicker(
        items,
        () => 1,
        () => 0.9999999,
      )(),
    ).toBe("last");
    // exactly on a boundary: [0,1) is "first", [1,2) is "middle"
    expect(
      weightedPicker(
        items,
        () => 1,
        () => 1 / 3,
      )(),
    ).toBe("middle");
  });

  test("always returns the only item without consulting the random source", () => {
    let calls = 0;
    const pick = weightedPicker(
      ["only"],
      () => 5,
      () => (calls++, 0.5),
    );
    expect([pick(), pick(), pick()]).toEqual(["only", "only", "only"]);
    expect(calls).toBe(0);
  });

  test("refuses an empty list", () => {
    expect(() => weightedPicker([], () => 1)).toThrow("weightedPicker needs at least one item");
  });
});
