// Shared by the bench table scripts: medians over rounds, and requests per CPU-second.

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const perCpu = (run: { requests: number; cpu: number }): number => (run.cpu > 0 ? run.requests / run.cpu : 0);

/** Groups runs by a key, keeping first-seen order (the table's row order). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
