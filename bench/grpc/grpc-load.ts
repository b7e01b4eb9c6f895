// One load-generator process for bench/grpc/vs-ghz.sh: N concurrent loops of SayHello for D
// seconds. "client" is ctx.grpc's client recording into the real stats module; "grpc-js" is
// @grpc/grpc-js called bare (no recording); "http2" is node:http2 with a request framed once and
// only the status read (no protobuf, no recording), the ceiling under Bun. Channels: "shared" (every
// loop on one channel, as ghz's default of one connection) or "users" (one channel per loop, as N
// loadworker users each have their own).
// usage: bun bench/grpc/grpc-load.ts <client|grpc-js|http2> <host:port> <concurrency> <seconds> <shared|users>
import { readFileSync } from "node:fs";
import { connect } from "node:http2";
import { join } from "node:path";
import { Client, credentials } from "@grpc/grpc-js";
import { systemClock } from "../../src/clock.ts";
import { GrpcClient, type GrpcUnary, ProtoFiles } from "../../src/grpc/index.ts";
import { createStats } from "../../src/stats/index.ts";

const [mode = "client", target = "127.0.0.1:50051", concurrency = "50", seconds = "5", channels = "shared"] = process.argv.slice(2);
const PROTO = "helloworld.proto";
const protos = new ProtoFiles(new Map([[PROTO, readFileSync(join(import.meta.dir, PROTO), "utf8")]]));
const stats = createStats(systemClock);
let calls = 0;
let failures = 0;

type Greeter = { SayHello: GrpcUnary<{ name: string }, { message: string }> };
type Call = () => Promise<boolean>;

function clientCaller(client: GrpcClient): Call {
  const greeter = client.service<Greeter>("helloworld.Greeter", { proto: PROTO, target });
  return async () => (await greeter.SayHello({ name: "bench" })).ok;
}

function bareCaller(channel: Client): Call {
  const method = protos.methods(PROTO, "helloworld.Greeter").get("SayHello");
  if (method === undefined) throw new Error("no SayHello");
  return () =>
    new Promise((resolve) =>
      channel.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, { name: "bench" }, (error) =>
        resolve(error === null),
      ),
    );
}

function http2Caller(): { call: Call; close: () => void } {
  const session = connect(`http://${target}`);
  const headers = { ":method": "POST", ":path": "/helloworld.Greeter/SayHello", "content-type": "application/grpc", te: "trailers" };
  const body = Buffer.from([0, 0, 0, 0, 7, 0x0a, 5, ...Buffer.from("bench")]); // HelloRequest{name: "bench"}
  const call: Call = () =>
    new Promise((resolve) => {
      const stream = session.request(headers);
      let ok = false;
      stream.on("data", () => {});
      stream.on("trailers", (trailers) => (ok = trailers["grpc-status"] === "0"));
      stream.on("close", () => resolve(ok));
      stream.end(body);
    });
  return { call, close: () => session.destroy() };
}

const newCaller = (): { call: Call; close: () => void } => {
  if (mode === "http2") return http2Caller();
  if (mode === "grpc-js") {
    const channel = new Client(target, credentials.createInsecure(), { "grpc.enable_retries": 0 });
    return { call: bareCaller(channel), close: () => channel.close() };
  }
  const client = new GrpcClient({ recorder: stats.recorder, clock: systemClock, protos });
  return { call: clientCaller(client), close: () => client.close() };
};

const n = Number(concurrency);
const shared = channels === "shared" ? newCaller() : undefined;
const callers = Array.from({ length: n }, () => shared ?? newCaller());
// Connect every channel first: the window measures calls, not connection set-up.
await Promise.all(callers.map((c) => c.call()));

async function loop(call: Call, end: number): Promise<void> {
  while (performance.now() < end) {
    if (await call()) calls++;
    else failures++;
  }
}

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const end = t0 + Number(seconds) * 1000;
await Promise.all(callers.map((c) => loop(c.call, end)));
const wallSec = (performance.now() - t0) / 1000;
const used = process.cpuUsage(cpu0);
for (const c of new Set(callers)) c.close();
const report = stats.report({ BenchUser: n }, n);
const recorded = report.stats.reduce((sum, entry) => sum + entry.num_requests, 0);
console.log(
  JSON.stringify({ mode, channels, concurrency: n, requests: calls, failures, recorded, wallSec, cpuSec: (used.user + used.system) / 1e6 }),
);
process.exit(0);
