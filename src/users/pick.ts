// Weighted random choice: O(log n) per pick over cumulative weights, random source injected.

export function weightedPicker<T>(items: readonly T[], weightOf: (item: T) => number, random: () => number = Math.random): () => T {
  if (items.length === 0) throw new RangeError("weightedPicker needs at least one item");
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weightOf(item);
    cumulative.push(total);
  }
  const only = items[0] as T;
  if (items.length === 1) return () => only;
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}
