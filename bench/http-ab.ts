// A/B of the HTTP client against another checkout's, in one process: short bursts alternate
// A, B, A, B... against the same server, so a shared machine's drifting load hits both alike;
// each burst's requests per CPU-second is paired with its neighbour's. Used for issue 7's rule
// that the pipeline refactor costs no step more than 2% (bench/NOTES.md).
// SAME_HEADERS=1 has the baseline send this client's default headers too (Accept, Connection), so
// that the comparison is of the code alone and not of the bytes on the wire.
// TRACE=both (or client, or baseline) gives that side's clients a tracer sampling every call, as
// `--otel` does, whose ended spans go into its own tree's span queue and are released unexported:
// the traced call path and the span's end, without encoding or posting (bench/NOTES.md, issue 20).
// TRACE=client with this checkout as the baseline measures that path's cost alone.
// HTTP2=1 (https: URL, ALPN h2, the certificate not checked) or HTTP2=h2c (http: URL) makes both
// sides' clients HTTP/2: one connection per user, one call in flight on it (bench/http-ab.sh H2=1).
// usage: bun bench/http-ab.ts <baseline-dir> <url> [connections=50] [pairs=40] [burstMs=500] [client-dir=this checkout]
import { resolve } from "node:path";
import { median } from "./lib/stats.ts";

interface Client {
  get(url: string): Promise<{ ok: boolean }>;
  close(): void;
}
type Make = (options: {
  baseUrl: string;
  recorder: unknown;
  headers?: Record<string, string>;
  tracing?: unknown;
  http2?: boolean | "h2c";
  rejectUnauthorized?: boolean;
}) => Client;

const [
  baselineDir = "",
  url = "http://127.0.0.1:18080/",
  conns = "50",
  pairs = "40",
  burstMs = "500",
  clientDir = resolve(import.meta.dir, ".."),
] = process.argv.slice(2);
const load = async (dir: string, traced: boolean): Promise<{ make: Make; recorder: unknown; tracing: unknown }> => {
  const http = (await import(resolve(dir, "src/http/index.ts"))) as { HttpClient: new (o: unknown) => Client };
  const stats = (await import(resolve(dir, "src/stats/index.ts"))) as { createStats(clock: unknown): { recorder: unknown } };
  const clock = (await import(resolve(dir, "src/clock.ts"))) as { systemClock: unknown };
  return {
    make: (o) => new http.HttpClient(o),
    recorder: stats.createStats(clock.systemClock).recorder,
    tracing: traced ? await tracingOf(dir) : undefined,
  };
};
// A tracing slot whose spans are queued and dropped once the queue is full, as if exported at once.
async function tracingOf(dir: string): Promise<unknown> {
  const { SpanQueue } = (await import(resolve(dir, "src/otel/span-queue.ts"))) as {
    SpanQueue: new (capacity: number, added: () => void, full: () => void) => { size: number; release(n: number): void };
  };
  const { spanTracer } = (await import(resolve(dir, "src/otel/http-spans.ts"))) as { spanTracer(init: object): unknown };
  const queue: { size: number; release(n: number): void } = new SpanQueue(
    2048,
    () => queue.size >= 512 && queue.release(queue.size),
    () => {},
  );
  return { tracer: spanTracer({ queue, sampler: "always_on", ratio: 1 }) };
}
const trace = process.env.TRACE ?? "";
const sides = {
  client: await load(clientDir, trace === "both" || trace === "client"),
  baseline: await load(baselineDir, trace === "both" || trace === "baseline"),
};
const h2 = process.env.HTTP2 === "h2c" ? { http2: "h2c" as const } : process.env.HTTP2 ? { http2: true, rejectUnauthorized: false } : {};
const target = new URL(url);
const path = `${target.pathname}${target.search}`;

// One client per simulated user and side, made once: bursts reuse their kept-alive connections.
const clients = {
  client: Array.from({ length: Number(conns) }, () =>
    sides.client.make({ baseUrl: target.origin, recorder: sides.client.recorder, tracing: sides.client.tracing, ...h2 }),
  ),
  baseline: Array.from({ length: Number(conns) }, () =>
    sides.baseline.make({
      baseUrl: target.origin,
      recorder: sides.baseline.recorder,
      tracing: sides.baseline.tracing,
      ...h2,
      ...(process.env.SAME_HEADERS === "1" ? { headers: { Accept: "*/*", Connection: "keep-alive" } } : {}),
    }),
  ),
};

/** One burst: every user of one side loops on GET until the time is up. */
async function burst(side: keyof typeof sides): Promise<number> {
  const end = performance.now() + Number(burstMs);
  let requests = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    clients[side].map(async (http) => {
      while (performance.now() < end) {
        await http.get(path);
        requests++;
      }
    }),
  );
  const used = process.cpuUsage(cpu0);
  return requests / ((used.user + used.system) / 1e6);
}

for (let i = 0; i < 4; i++) await burst(i % 2 === 0 ? "client" : "baseline"); // warm both up
const ratios: number[] = [];
const rates = { client: [] as number[], baseline: [] as number[] };
for (let i = 0; i < Number(pairs); i++) {
  // Alternate which goes first, so neither always gets the fresher half of a pair.
  const order: (keyof typeof sides)[] = i % 2 === 0 ? ["client", "baseline"] : ["baseline", "client"];
  const got: Record<string, number> = {};
  for (const side of order) got[side] = await burst(side);
  rates.client.push(got.client as number);
  rates.baseline.push(got.baseline as number);
  ratios.push((got.client as number) / (got.baseline as number));
}
const sorted = [...ratios].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
for (const http of [...clients.client, ...clients.baseline]) http.close();
console.log(
  JSON.stringify({
    conns: Number(conns),
    pairs: ratios.length,
    clientReqPerCpuS: Math.round(median(rates.client)),
    baselineReqPerCpuS: Math.round(median(rates.baseline)),
    ratioMedian: Number(median(ratios).toFixed(4)),
    ratioP25: Number(q(0.25).toFixed(4)),
    ratioP75: Number(q(0.75).toFixed(4)),
  }),
);
