// HTTP/2 against HTTP/1.1, our client on both sides, against one nginx (bench/h2.sh starts it):
// short bursts alternate h2, h1, h2, h1... so a shared machine's drifting load hits both alike,
// and each burst's requests per CPU-second is paired with its neighbour's (as bench/http-ab.ts).
// A side is `users` clients, each with `perUser` calls in flight (Promise.all of loops): over
// HTTP/1.1 that is perUser connections per user, over HTTP/2 perUser streams on one.
// usage: bun bench/h2-ab.ts <h2-url> <h1-url> <http2: true|h2c> [users=50] [perUser=1] [pairs=20] [burstMs=400]
import { HttpClient } from "../src/http/index.ts";
import { createStats } from "../src/stats/index.ts";
import { systemClock } from "../src/clock.ts";
import { median } from "./lib/stats.ts";

const [h2Url = "", h1Url = "", mode = "true", users = "50", perUser = "1", pairs = "20", burstMs = "400"] = process.argv.slice(2);
const recorder = createStats(systemClock).recorder;
const http2 = mode === "h2c" ? "h2c" : true;
const make = (baseUrl: string, h2: boolean) =>
  Array.from({ length: Number(users) }, () => new HttpClient({ baseUrl, recorder, rejectUnauthorized: false, http2: h2 ? http2 : false }));
const sides = { h2: make(h2Url, true), h1: make(h1Url, false) };

async function burst(side: keyof typeof sides): Promise<number> {
  const end = performance.now() + Number(burstMs);
  let requests = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    sides[side].flatMap((http) =>
      Array.from({ length: Number(perUser) }, async () => {
        while (performance.now() < end) {
          const response = await http.get("/");
          if (response.status === 200) requests++;
          else failed++;
        }
      }),
    ),
  );
  const used = process.cpuUsage(cpu0);
  if (failed > 0) throw new Error(`${side}: ${failed} requests failed`);
  return requests / ((used.user + used.system) / 1e6);
}

for (let i = 0; i < 4; i++) await burst(i % 2 === 0 ? "h2" : "h1"); // warm up: connections, JIT
const rates = { h2: [] as number[], h1: [] as number[] };
const ratios: number[] = [];
for (let i = 0; i < Number(pairs); i++) {
  const order: (keyof typeof sides)[] = i % 2 === 0 ? ["h2", "h1"] : ["h1", "h2"];
  const got: Record<string, number> = {};
  for (const side of order) got[side] = await burst(side);
  rates.h2.push(got.h2 as number);
  rates.h1.push(got.h1 as number);
  ratios.push((got.h2 as number) / (got.h1 as number));
}
const connections = { h2: sides.h2.reduce((n, c) => n + c.connectionCount, 0), h1: sides.h1.reduce((n, c) => n + c.connectionCount, 0) };
for (const http of [...sides.h2, ...sides.h1]) http.close();
const sorted = [...ratios].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
console.log(
  JSON.stringify({
    mode,
    users: Number(users),
    perUser: Number(perUser),
    pairs: Number(pairs),
    h2ReqPerCpuS: Math.round(median(rates.h2)),
    h1ReqPerCpuS: Math.round(median(rates.h1)),
    ratioMedian: Number(median(ratios).toFixed(3)),
    ratioP25: Number(q(0.25).toFixed(3)),
    ratioP75: Number(q(0.75).toFixed(3)),
    connections,
  }),
);
