// The feeder's cost per task, in one process: short bursts alternate A (a task that is one
// client.get) and B (the same task with `await rows.next()` from a 1,000,000-row CSV first), so a
// shared machine's drifting load hits both alike; each burst's requests per CPU-second is paired
// with its neighbour's. Goal (issue 20): B/A ≥ 0.95. bench/data/feeder-ab.sh runs it against nginx.
// usage: bun bench/data/feeder-ab.ts <url> [users=50] [pairs=30] [burstMs=500] [order=unique]
import { writeFileSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { loadFeeders } from "../../src/data/registry.ts";
import { HttpClient, feeder } from "../../src/index.ts";
import type { FeederOrder } from "../../src/index.ts";
import { createStats } from "../../src/stats/index.ts";
import { runWithRecorder } from "../../src/users/current.ts";
import { median } from "../lib/stats.ts";

const [url = "http://127.0.0.1:18082/", users = "50", pairs = "30", burstMs = "500", order = "unique"] = process.argv.slice(2);
const ROWS = 1_000_000;
const out = resolve(import.meta.dir, "../out");
const file = join(out, "feeder-rows.csv");
if (!existsSync(file)) {
  mkdirSync(out, { recursive: true });
  const lines = Array.from({ length: ROWS }, (_, i) => `${i},user-${i},pw${(i * 7919) % 1000003},"u${i}@example.com"`);
  writeFileSync(file, `id,username,password,email\n${lines.join("\n")}\n`);
}
// unique without a master hands each row once: on a quiet machine 30 pairs of 0.5 s would take
// more than the 1,000,000 rows (~45k a burst at 1,000 users), so the pairs stop early, said in
// `pairs`, when the rows left would not last two more bursts (next() would throw StopUser).
const rows = feeder<{ id: string }>(file, { order: order as FeederOrder });
const t0 = performance.now();
loadFeeders();
console.error(
  `loaded ${rows.size} rows in ${(performance.now() - t0).toFixed(0)} ms; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);

const stats = createStats(systemClock);
const target = new URL(url);
const clients = Array.from({ length: Number(users) }, () => new HttpClient({ baseUrl: target.origin, recorder: stats.recorder }));
let taken = 0;

async function burst(withFeeder: boolean): Promise<number> {
  const end = performance.now() + Number(burstMs);
  let requests = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    clients.map(async (http) => {
      while (performance.now() < end) {
        if (withFeeder) {
          const row = await rows.next();
          if (row.id === "") throw new Error("empty row");
          taken++;
        }
        await http.get(target.pathname);
        requests++;
      }
    }),
  );
  const used = process.cpuUsage(cpu0);
  return requests / ((used.user + used.system) / 1e6);
}

await runWithRecorder(stats.recorder, async () => {
  for (let i = 0; i < 4; i++) await burst(i % 2 === 1); // warm both up
  const ratios: number[] = [];
  const rates = { a: [] as number[], b: [] as number[] };
  let perBurst = 0;
  for (let i = 0; i < Number(pairs); i++) {
    if (order === "unique" && rows.size - taken < 2 * perBurst) break;
    const before = taken;
    const first = i % 2 === 0; // alternate which goes first
    const x = await burst(!first);
    const y = await burst(first);
    const [a, b] = first ? [y, x] : [x, y];
    rates.a.push(a);
    rates.b.push(b);
    ratios.push(b / a);
    perBurst = Math.max(perBurst, Math.ceil((taken - before) * 1.2));
  }
  const sorted = [...ratios].sort((p, q) => p - q);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
  for (const http of clients) http.close();
  console.log(
    JSON.stringify({
      users: Number(users),
      order,
      pairs: ratios.length,
      rowsTaken: taken,
      ratio: Number(median(ratios).toFixed(3)),
      iqr: [Number(q(0.25).toFixed(3)), Number(q(0.75).toFixed(3))],
      reqPerCpuS: { without: Math.round(median(rates.a)), withFeeder: Math.round(median(rates.b)) },
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
});
