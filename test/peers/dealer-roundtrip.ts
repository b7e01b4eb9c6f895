// Run under Bun or Deno: one round trip through a ROUTER on 127.0.0.1:<port>, then close().
// The process must then exit on its own: a leaked timer or socket would keep it alive.
import process from "node:process";
import { DealerSocket } from "../../src/transport/index.ts";

const port = Number(process.argv[2]);
const echoed = Promise.withResolvers<void>();
const socket = new DealerSocket(
  { host: "127.0.0.1", port, identity: `roundtrip_${crypto.randomUUID()}`, reconnectMinMs: 20 },
  { onMessage: ([frame]) => (new TextDecoder().decode(frame) === "ping" ? echoed.resolve() : undefined) },
);
socket.start();
socket.send(new TextEncoder().encode("ping"));
await echoed.promise;
await socket.close();
console.log("echo ok, closed");
