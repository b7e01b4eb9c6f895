// Objects the HTTP client allocates per request (bun:jsc heapStats, counted by type), for one
// checkout or two side by side: N clients loop GET against a server; between two short windows
// with no collection in them (checked), the growth of each object type over the requests made.
// usage: bun bench/objects-per-request.ts <url> [connections=1000] [dir=this checkout] [dir2...]
import { resolve } from "node:path";
import { heapStats } from "bun:jsc";

interface Client {
  get(url: string): Promise<unknown>;
  close(): void;
}
const [url = "http://127.0.0.1:18080/", conns = "1000", ...dirs] = process.argv.slice(2);
if (dirs.length === 0) dirs.push(resolve(import.meta.dir, ".."));
const target = new URL(url);

for (const dir of dirs) {
  const http = (await import(resolve(dir, "src/http/index.ts"))) as { HttpClient: new (o: unknown) => Client };
  const stats = (await import(resolve(dir, "src/stats/index.ts"))) as { createStats(clock: unknown): { recorder: unknown } };
  const clock = (await import(resolve(dir, "src/clock.ts"))) as { systemClock: unknown };
  const recorder = stats.createStats(clock.systemClock).recorder;
  const clients = Array.from({ length: Number(conns) }, () => new http.HttpClient({ baseUrl: target.origin, recorder }));
  let requests = 0;
  let running = true;
  const loops = clients.map(async (client) => {
    while (running) {
      await client.get(target.pathname);
      requests++;
    }
  });
  await Bun.sleep(1500); // connected and warm
  const rows: Record<string, number>[] = [];
  for (let tries = 0; tries < 50 && rows.length < 5; tries++) {
    Bun.gc(true);
    const before = heapStats();
    const r0 = requests;
    await Bun.sleep(30);
    const after = heapStats();
    const made = requests - r0;
    // A collection in the window would hide objects: keep only windows where every count grew.
    if (after.objectCount < before.objectCount || made === 0) continue;
    const row: Record<string, number> = {};
    for (const [type, n] of Object.entries(after.objectTypeCounts)) {
      const grew = n - (before.objectTypeCounts[type] ?? 0);
      if (grew > 0) row[type] = grew / made;
    }
    row.requests = made;
    rows.push(row);
  }
  running = false;
  await Promise.all(loops);
  for (const client of clients) client.close();
  const types = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((t) => t !== "requests");
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const perType = Object.fromEntries(
    types.map((t) => [t, Math.round(median(rows.map((row) => row[t] ?? 0)) * 100) / 100]).filter(([, n]) => (n as number) >= 0.05),
  );
  const total = Object.values(perType).reduce((a, b) => (a as number) + (b as number), 0);
  console.log(
    JSON.stringify({
      dir,
      conns: Number(conns),
      windows: rows.length,
      perRequest: perType,
      total: Math.round((total as number) * 100) / 100,
    }),
  );
}
