// Where a request's CPU goes, layer by layer, in one process against one server (bench/NOTES.md,
// issue 21): "raw" is Bun.connect sockets writing a fixed GET on every chunk (the runtime's floor:
// no parsing, no promise), "conn" a pooled Connection whose waiter sends again from the socket's
// event (the parser and the response object, no promise), "client" the HttpClient in an async loop
// per user (the call, its promise, the steps, the recording). Bursts alternate layer by layer;
// the medians of user and system µs per request, from process.cpuUsage(). "await" and "await-later"
// (below) are raw sockets driven by an async loop per socket. Bun only.
// It opens four sets of `connections` sockets (raw, await, the conn pools, the clients): against
// bench/lib/nginx.sh's 16,384 worker_connections, 1,000 is the most it measures (10,000 stalls).
// usage: bun bench/http-layers.ts <url> [connections=1000] [rounds=10] [burstMs=600] [dir=this checkout]
import { resolve } from "node:path";

const [url = "http://127.0.0.1:18080/", conns = "1000", rounds = "10", burstMs = "600", dir = resolve(import.meta.dir, "..")] =
  process.argv.slice(2);
const N = Number(conns);
const target = new URL(url);
const http = await import(resolve(dir, "src/http/index.ts"));
const { Pool } = await import(resolve(dir, "src/http/pool.ts"));
const { originOf } = await import(resolve(dir, "src/http/request.ts"));
const { createStats } = await import(resolve(dir, "src/stats/index.ts"));
const { systemClock } = await import(resolve(dir, "src/clock.ts"));
const wire = new TextEncoder().encode(
  `GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: bench\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`,
);
let count = 0;
let on: "raw" | "await" | "await-later" | "conn" | "client" | "" = "";

// raw: every chunk is taken for one whole response (a small body from nginx is one chunk).
const parkedRaw: { write(b: Uint8Array): number }[] = [];
const rawHandlers = {
  data(socket: { write(b: Uint8Array): number }) {
    count++;
    if (on === "raw") socket.write(wire);
    else parkedRaw.push(socket);
  },
  close() {},
  error(_socket: unknown, error: Error) {
    console.error(error);
  },
};
for (let i = 0; i < N; i++)
  parkedRaw.push(await Bun.connect({ hostname: target.hostname, port: Number(target.port), socket: rawHandlers }));

// await: raw sockets, each driven by an async loop that awaits a promise its socket's chunk
// resolves (no parsing): what an await per request costs over the raw floor. "await-later" hands
// the chunk over after the turn's socket events, in one setImmediate, as src/http/answers.ts does.
interface Awaiting {
  socket: { write(b: Uint8Array): number } | undefined;
  resolve: (() => void) | undefined;
}
const awaiting: Awaiting[] = [];
let later: (() => void)[] = [];
const flushLater = () => {
  const due = later;
  later = [];
  for (const resolve of due) resolve();
};
const awaitHandlers = {
  data(socket: { data: Awaiting }) {
    const resolve = socket.data.resolve as () => void;
    socket.data.resolve = undefined;
    if (on !== "await-later") return resolve();
    if (later.push(resolve) === 1) setImmediate(flushLater);
  },
  close() {},
  error(_socket: unknown, error: Error) {
    console.error(error);
  },
};
for (let i = 0; i < N; i++) {
  const a: Awaiting = { socket: undefined, resolve: undefined };
  a.socket = await Bun.connect({ hostname: target.hostname, port: Number(target.port), socket: awaitHandlers, data: a });
  awaiting.push(a);
}
async function awaitLoop(a: Awaiting, end: number): Promise<void> {
  while (performance.now() < end) {
    const answered = new Promise<void>((resolve) => {
      a.resolve = resolve;
    });
    (a.socket as { write(b: Uint8Array): number }).write(wire);
    await answered;
    count++;
  }
}

// conn: the waiter writes the next request from within the connection's answer.
class Resender {
  constructor(readonly pool: InstanceType<typeof Pool>) {}
  responded(): void {
    count++;
    if (on === "conn") this.pool.acquire().send(wire, false, Infinity, Infinity, this);
    else parkedConn.push(this);
  }
  failed(error: unknown): void {
    console.error(error);
  }
}
const origin = originOf(target);
const parkedConn = Array.from({ length: N }, () => new Resender(new Pool(origin, { maxBodyBytes: 1 << 20, rejectUnauthorized: true })));

const recorder = createStats(systemClock).recorder;
const clients = Array.from({ length: N }, () => new http.HttpClient({ baseUrl: target.origin, recorder }));

async function burst(layer: "raw" | "await" | "await-later" | "conn" | "client", ms: number): Promise<void> {
  on = layer;
  if (layer === "await" || layer === "await-later") {
    const end = performance.now() + ms;
    await Promise.all(awaiting.map((a) => awaitLoop(a, end)));
    return;
  }
  if (layer === "client") {
    const end = performance.now() + ms;
    await Promise.all(
      clients.map(async (client: { get(path: string): Promise<unknown> }) => {
        while (performance.now() < end) {
          await client.get(target.pathname);
          count++;
        }
      }),
    );
    return;
  }
  const parked = layer === "raw" ? parkedRaw : parkedConn;
  for (const p of parked.splice(0)) {
    if (p instanceof Resender) p.pool.acquire().send(wire, false, Infinity, Infinity, p);
    else p.write(wire);
  }
  await Bun.sleep(ms);
  on = "";
  while (parked.length < N) await Bun.sleep(5); // the requests in flight come back
}

const rows: Record<string, { user: number[]; sys: number[] }> = {};
for (let r = -1; r < Number(rounds); r++) {
  for (const layer of ["raw", "await", "await-later", "conn", "client"] as const) {
    const c0 = count;
    const u0 = process.cpuUsage();
    await burst(layer, Number(burstMs));
    const used = process.cpuUsage(u0);
    if (r < 0) continue; // warm-up
    rows[layer] ??= { user: [], sys: [] };
    const row = rows[layer];
    row.user.push(used.user / (count - c0));
    row.sys.push(used.system / (count - c0));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
for (const [layer, { user, sys }] of Object.entries(rows)) {
  const total = median(user.map((u, i) => u + (sys[i] as number)));
  console.log(
    JSON.stringify({
      conns: N,
      layer,
      userUs: +median(user).toFixed(2),
      sysUs: +median(sys).toFixed(2),
      reqPerCpuS: Math.round(1e6 / total),
    }),
  );
}
process.exit(0);
