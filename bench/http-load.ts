// One load-generator process for bench/http-vs-wrk.sh: N concurrent loops (one HttpClient each,
// like N simulated users) GET one URL for D seconds and record into the real stats module.
// "raw" is the runtime's floor, not a client: Bun.connect sockets writing a fixed GET on every chunk
// (no parsing, no promise; a small body from nginx is one chunk), as bench/http-layers.ts's raw layer.
// usage: bun bench/http-load.ts <client|fetch|raw> <url> <connections> <seconds>
import { systemClock } from "../src/clock.ts";
import { HttpClient } from "../src/http/index.ts";
import { createStats } from "../src/stats/index.ts";

const [mode = "client", url = "http://127.0.0.1:18080/", connections = "50", seconds = "10"] = process.argv.slice(2);
const stats = createStats(systemClock);
const recorder = stats.recorder;
const target = new URL(url);
const path = `${target.pathname}${target.search}`;
let requests = 0;
let failures = 0;

async function clientLoop(end: number): Promise<void> {
  const http = new HttpClient({ baseUrl: target.origin, recorder });
  while (performance.now() < end) {
    const response = await http.get(path);
    requests++;
    if (!response.ok) failures++;
  }
  http.close();
}

async function fetchLoop(end: number): Promise<void> {
  while (performance.now() < end) {
    const start = performance.now();
    try {
      const response = await fetch(url);
      const body = await response.arrayBuffer();
      recorder.success("GET", path, performance.now() - start, body.byteLength);
      requests++;
      if (!response.ok) failures++;
    } catch (error) {
      recorder.failure("GET", path, performance.now() - start, error);
      failures++;
    }
  }
}

function rawLoop(end: number): Promise<void> {
  const wire = new TextEncoder().encode(
    `GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\nUser-Agent: bench\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`,
  );
  const { promise, resolve, reject } = Promise.withResolvers<void>();
  Bun.connect({
    hostname: target.hostname,
    port: Number(target.port),
    socket: {
      open(socket) {
        socket.write(wire);
      },
      data(socket) {
        requests++;
        if (performance.now() < end) socket.write(wire);
        else socket.end();
      },
      close: () => resolve(),
      error: (_socket, error) => reject(error),
    },
  }).catch(reject);
  return promise;
}

const loop = mode === "fetch" ? fetchLoop : mode === "raw" ? rawLoop : clientLoop;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const end = t0 + Number(seconds) * 1000;
await Promise.all(Array.from({ length: Number(connections) }, () => loop(end)));
const wallSec = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
const report = stats.report({ BenchUser: Number(connections) }, Number(connections));
const recorded = report.stats.reduce((sum, entry) => sum + entry.num_requests, 0);
console.log(
  JSON.stringify({
    mode,
    connections: Number(connections),
    requests,
    failures,
    recorded,
    wallSec,
    cpuSec: (used.user + used.system) / 1e6,
  }),
);
