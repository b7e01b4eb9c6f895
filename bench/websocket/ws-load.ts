// The TypeScript side of bench/websocket: N sockets, each looping one round trip at a time for a
// set time, as a task would: `loadworker` is ctx.websocket's client (UserSockets, recording every
// round trip into the worker's real stats), `builtin` is the runtime's own WebSocket (nothing
// recorded: the transport alone, for the choice docs/websocket.md explains). Prints one JSON line
// like the Go client's: round trips, and the process's CPU seconds while looping.
// usage: bun bench/websocket/ws-load.ts URL SOCKETS SECONDS [loadworker|builtin] [size=32]
import { systemClock } from "../../src/clock.ts";
import { createStats } from "../../src/stats/index.ts";
import { UserSockets } from "../../src/websocket/index.ts";

const [url = "ws://127.0.0.1:8080/echo", sockets = "100", seconds = "5", client = "loadworker", size = "32"] = process.argv.slice(2);
const payload = "abcdefghijklmnopqrstuvwxyz".repeat(Math.ceil(Number(size) / 26)).slice(0, Number(size));

type Loop = (end: number) => Promise<number>;

async function loadworkerLoops(): Promise<Loop[]> {
  const stats = createStats(systemClock);
  const owner = new UserSockets(
    { recorder: stats.recorder, clock: systemClock, host: () => undefined, task: () => "echo", rejectUnauthorized: true },
    undefined,
  );
  const opened = await Promise.all(Array.from({ length: Number(sockets) }, () => owner.connect(url, { name: "echo", compression: false })));
  return opened.map((ws) => async (end) => {
    let trips = 0;
    while (performance.now() < end) {
      await ws.request(payload);
      trips++;
    }
    return trips;
  });
}

async function builtinLoops(): Promise<Loop[]> {
  const opened = await Promise.all(
    Array.from({ length: Number(sockets) }, () => {
      const ws = new WebSocket(url);
      return new Promise<WebSocket>((resolve, reject) => {
        ws.onopen = () => resolve(ws);
        ws.onerror = () => reject(new Error("connect failed"));
      });
    }),
  );
  return opened.map((ws) => async (end) => {
    let trips = 0;
    let next: () => void = () => {};
    ws.onmessage = () => next();
    while (performance.now() < end) {
      const reply = new Promise<void>((resolve) => {
        next = resolve;
      });
      ws.send(payload);
      await reply;
      trips++;
    }
    return trips;
  });
}

const loops = client === "builtin" ? await builtinLoops() : await loadworkerLoops();
const cpu0 = process.cpuUsage();
const start = performance.now();
const end = start + Number(seconds) * 1000;
const trips = (await Promise.all(loops.map((loop) => loop(end)))).reduce((a, b) => a + b, 0);
const used = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    client: client === "builtin" ? "bun-builtin" : "loadworker",
    sockets: Number(sockets),
    roundTrips: trips,
    cpuSeconds: (used.user + used.system) / 1e6,
    seconds: (performance.now() - start) / 1000,
  }),
);
process.exit(0);
