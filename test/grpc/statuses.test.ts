// What a call reads when the server sends no grpc-status: a node:http2 server that answers as
// proxies and broken servers do (grpcio, in client.test.ts, always sends one).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { constants, createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import { readFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { GrpcClient, type GrpcUnary, ProtoFiles } from "../../src/grpc/index.ts";
import { recordingRecorder } from "../support/fakes.ts";
import { GRPC_TASKS } from "../support/grpc-server.ts";

type Greeter = { SayHello: GrpcUnary<{ name: string }, { message: string }> };
const protos = new ProtoFiles(new Map([["helloworld.proto", readFileSync(join(GRPC_TASKS, "helloworld.proto"), "utf8")]]));
let server: Http2Server;
let target: string;
const seen: Array<Record<string, unknown>> = [];

// The request's name picks the answer.
const ANSWERS: Record<string, (stream: ServerHttp2Stream) => void> = {
  http503: (s) => s.respond({ ":status": 503 }, { endStream: true }),
  http404: (s) => s.respond({ ":status": 404 }, { endStream: true }),
  grpc503: (s) => s.respond({ ":status": 503, "content-type": "application/grpc" }, { endStream: true }),
  refused: (s) => {
    s.on("error", () => {}); // Bun's server stream reports its own reset as an error
    s.close(constants.NGHTTP2_REFUSED_STREAM);
  },
  nostatus: (s) => {
    s.respond({ ":status": 200, "content-type": "application/grpc" });
    s.end();
  },
  dropped: (s) => {
    s.respond({ ":status": 200, "content-type": "application/grpc" });
    setTimeout(() => s.session?.destroy(), 20); // the server went away mid-call (killed, crashed)
  },
  droppedEarly: (s) => s.session?.destroy(),
  encoded: (s) =>
    s.respond(
      { ":status": 200, "content-type": "application/grpc", "grpc-status": "3", "grpc-message": "caf%C3%A9 100%25" },
      { endStream: true },
    ),
};

beforeAll(async () => {
  server = createServer();
  server.on("stream", (stream, headers) => {
    seen.push({ ...headers });
    let body = Buffer.alloc(0);
    stream.on("data", (chunk: Buffer) => (body = Buffer.concat([body, chunk])));
    stream.on("end", () => {
      const name = body.subarray(7).toString(); // HelloRequest{name}: prefix, tag, length
      ANSWERS[name]?.(stream as ServerHttp2Stream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  target = `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(() => server.close());

async function call(name: string, options?: Parameters<Greeter["SayHello"]>[1]) {
  const recorder = recordingRecorder();
  const client = new GrpcClient({ recorder, clock: systemClock, protos });
  const result = await client.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target }).SayHello({ name }, options);
  client.close();
  return { result, recorded: recorder.records[0]?.detail };
}

test("an HTTP status other than 200 maps as gRPC's table says: 503 UNAVAILABLE, 404 UNIMPLEMENTED", async () => {
  const notGrpc = "with no content-type: not a gRPC response (is the target a gRPC server?)";
  expect((await call("http503")).recorded).toBe(`UNAVAILABLE: HTTP status 503 ${notGrpc}`);
  expect((await call("http404")).recorded).toBe(`UNIMPLEMENTED: HTTP status 404 ${notGrpc}`);
  expect((await call("grpc503")).recorded).toBe("UNAVAILABLE: HTTP status 503");
});

test("a stream the server resets, or ends without a status, is a failure", async () => {
  // gRPC reads REFUSED_STREAM as UNAVAILABLE (status.ts does), but Bun's client shows the stream
  // closed with rstCode 0 and no error, so here it is UNKNOWN like a stream without a status.
  expect((await call("refused")).result).toMatchObject({ ok: false, status: process.versions.bun ? "UNKNOWN" : "UNAVAILABLE" });
  expect((await call("nostatus")).recorded).toBe("UNKNOWN: the stream ended without a gRPC status");
});

test("a connection lost before the status is UNAVAILABLE naming the target, not a reset the server never sent", async () => {
  const lost = `UNAVAILABLE: the connection to ${target} was lost before the call's status came`;
  expect((await call("dropped")).recorded).toBe(lost);
  expect((await call("droppedEarly")).recorded).toBe(lost);
});

test("a target that accepts the connection but never speaks HTTP/2 fails UNAVAILABLE after the connect timeout, not a call that waits forever", async () => {
  const silent = createNetServer((socket) => socket.on("error", () => {})); // accepts, reads, never answers
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  const quiet = `127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  try {
    const recorder = recordingRecorder();
    const client = new GrpcClient({ recorder, clock: systemClock, protos, connectTimeoutMs: 100 });
    const result = await client
      .service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target: quiet })
      .SayHello({ name: "x" });
    client.close();
    expect(result).toMatchObject({ ok: false, status: "UNAVAILABLE" });
    expect(recorder.records.map((r) => r.detail)).toEqual([
      `UNAVAILABLE: ${quiet} accepted the connection but sent no HTTP/2 settings within 0.1 s (is the target a gRPC server?)`,
    ]);
  } finally {
    silent.close();
  }
});

test("grpc-message is percent-decoded", async () => {
  expect((await call("encoded")).result).toMatchObject({ status: "INVALID_ARGUMENT", details: "café 100%" });
});

test("the request carries the method's headers, the deadline as grpc-timeout, and metadata (-bin in base64)", async () => {
  seen.length = 0;
  await call("http404", { deadlineMs: 1500, metadata: { "x-user": "u1", "trace-bin": new Uint8Array([1, 2, 255]) } });
  expect(seen[0]).toMatchObject({
    ":method": "POST",
    ":path": "/helloworld.Greeter/SayHello",
    "content-type": "application/grpc",
    te: "trailers",
    "grpc-timeout": "1500m",
    "x-user": "u1",
    "trace-bin": "AQL/",
  });
});
