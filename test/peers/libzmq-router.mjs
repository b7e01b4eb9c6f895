// A libzmq ROUTER (zeromq npm package, run under Node) for the DEALER conformance tests.
// Line protocol, JSON per line. stdout: {"event":"listening","port"}, {"event":"message",
// "identity","parts":[{"size","sha256"}]}, {"event":"error","message"}.
// stdin: {"cmd":"send","identity","parts":[{"size","seed"}]} sends [identity, ...pattern parts].
// Every received message is echoed back to its sender unchanged.
import { createHash } from "node:crypto";
import { createInterface } from "node:readline";
import { Router } from "zeromq";

const port = Number(process.argv[2] ?? 0);
const out = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const pattern = (size, seed) => {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
};

// mandatory + sendTimeout: a send to an unknown identity fails loudly instead of vanishing
// (zeromq.js retries EHOSTUNREACH until sendTimeout).
const router = new Router({ mandatory: true, linger: 0, sendTimeout: 2000 });
await router.bind(`tcp://127.0.0.1:${port === 0 ? "*" : port}`);
out({ event: "listening", port: Number(new URL(router.lastEndpoint.replace("tcp", "http")).port) });

// zeromq.js allows one send in flight at a time, so sends are chained.
let sending = Promise.resolve();
const send = (frames) => {
  sending = sending.then(() => router.send(frames)).catch((e) => out({ event: "error", message: String(e) }));
};

createInterface({ input: process.stdin }).on("line", (line) => {
  const cmd = JSON.parse(line);
  if (cmd.cmd === "send") send([Buffer.from(cmd.identity), ...cmd.parts.map((p) => pattern(p.size, p.seed))]);
});
process.stdin.on("end", () => process.exit(0));

for await (const [identity, ...parts] of router) {
  const digest = (p) => ({ size: p.length, sha256: createHash("sha256").update(p).digest("hex") });
  out({ event: "message", identity: identity.toString(), parts: parts.map(digest) });
  send([identity, ...parts]);
}
