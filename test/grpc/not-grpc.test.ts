// A target that speaks HTTP/2 but not gRPC (nginx, a server nobody here wrote, over h2c and over
// TLS): the call fails at the response's headers, naming its HTTP status and content-type, as
// grpc-go reads such a response; the body is never read as gRPC frames. And a target whose port
// does not speak what the target's scheme says (HTTP/1.1, TLS or not): a failure that says what to change.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { GrpcClient, type GrpcUnary, ProtoFiles } from "../../src/grpc/index.ts";
import { recordingRecorder } from "../support/fakes.ts";
import { GRPC_TASKS } from "../support/grpc-server.ts";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { refusedPort } from "../support/procs.ts";

type Greeter = { SayHello: GrpcUnary<{ name: string }, { message: string }> };
const protos = new ProtoFiles(new Map([["helloworld.proto", readFileSync(join(GRPC_TASKS, "helloworld.proto"), "utf8")]]));
let nginx: Nginx;

beforeAll(async () => {
  // The Greeter's path answers 200 text/plain; "down"'s goes through grpc_pass to a port where
  // nothing listens (nginx's 502 page); any other path is nginx's own 404 page.
  nginx = await startNginx(
    `location = /helloworld.Greeter/SayHello { default_type text/plain; return 200 "not gRPC\\n"; }
    location /down.Greeter/ { grpc_pass grpc://127.0.0.1:${await refusedPort()}; }`,
  );
}, 60_000);
afterAll(async () => {
  await nginx?.close();
});

async function sayHello(target: string, rejectUnauthorized = false) {
  const recorder = recordingRecorder();
  const client = new GrpcClient({ recorder, clock: systemClock, protos, rejectUnauthorized });
  const greeter = client.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target });
  const result = await greeter.SayHello({ name: "web" }, { deadlineMs: 5_000 });
  client.close();
  return { result, recorded: recorder.records };
}

const NOT_GRPC = 'HTTP status 200 with content-type "text/plain": not a gRPC response (is the target a gRPC server?)';

test("a 200 text/plain answer over h2c is UNKNOWN naming the status and content-type, not a misread compressed message", async () => {
  const { result, recorded } = await sayHello(nginx.h2cUrl);
  expect(result).toMatchObject({ ok: false, code: 2, status: "UNKNOWN", details: NOT_GRPC, count: 0, message: undefined });
  expect(recorded).toEqual([
    { ok: false, method: "gRPC", name: "/helloworld.Greeter/SayHello", ms: result.ms, detail: `UNKNOWN: ${NOT_GRPC}` },
  ]);
});

test("the same over TLS (h2 by ALPN)", async () => {
  const { result } = await sayHello(nginx.tlsUrl);
  expect(result).toMatchObject({ ok: false, status: "UNKNOWN", details: NOT_GRPC });
});

test("nginx's 404 page maps by gRPC's HTTP table (UNIMPLEMENTED) and still names the content-type", async () => {
  expect(await sayHelloIn()).toMatchObject({
    ok: false,
    status: "UNIMPLEMENTED",
    details: 'HTTP status 404 with content-type "text/html": not a gRPC response (is the target a gRPC server?)',
  });
});

test("a proxy whose gRPC server is down (nginx's 502 page) is UNAVAILABLE and says to look behind the proxy", async () => {
  expect(await sayHelloIn("down")).toMatchObject({
    ok: false,
    status: "UNAVAILABLE",
    details: 'HTTP status 502 with content-type "text/html": not a gRPC response (is the gRPC server behind the proxy up?)',
  });
});

// The same .proto under another package: "other" has no location at nginx (its 404 page), "down" is grpc_pass.
async function sayHelloIn(pkg = "other") {
  const other = new ProtoFiles(
    new Map([
      [
        "other.proto",
        `syntax = "proto3";\npackage ${pkg};\nservice Greeter { rpc SayHello (M) returns (M); }\nmessage M { string name = 1; }\n`,
      ],
    ]),
  );
  const client = new GrpcClient({ recorder: recordingRecorder(), clock: systemClock, protos: other });
  const result = await client.service<Greeter>(`${pkg}.Greeter`, { proto: "other.proto", target: nginx.h2cUrl }).SayHello({ name: "x" });
  client.close();
  return result;
}

describe("a target that does not speak what its scheme says fails with what to change, not a bare OpenSSL or HTTP/2 error", () => {
  const plain = (url: string) => url.replace(/^[a-z]+:\/\//, "");
  const noH2 = (at: string) =>
    `UNAVAILABLE: ${at} did not answer in HTTP/2 (Protocol error): a plaintext target (host:port, http://) needs a gRPC server without TLS; is it an HTTP/1.1 server, or a TLS port (then use https://)?`;

  test("plaintext to an HTTP/1.1 port, and to a TLS port", async () => {
    expect((await sayHello(plain(nginx.httpUrl))).result.details).toBe(noH2(plain(nginx.httpUrl)).replace("UNAVAILABLE: ", ""));
    expect((await sayHello(plain(nginx.tlsUrl))).recorded[0]?.detail).toBe(noH2(plain(nginx.tlsUrl)));
  });

  test("https:// to a port without TLS", async () => {
    const target = `https://${plain(nginx.h2cUrl)}`;
    expect((await sayHello(target)).recorded[0]?.detail).toBe(
      `UNAVAILABLE: TLS handshake with ${plain(nginx.h2cUrl)} failed: ERR_SSL_WRONG_VERSION_NUMBER (the port does not speak TLS: use host:port or http:// for a server without TLS)`,
    );
  });

  test("a self-signed certificate says how to trust it or accept it for a test target", async () => {
    expect(String((await sayHello(nginx.tlsUrl, true)).recorded[0]?.detail)).toStartWith(
      `UNAVAILABLE: TLS handshake with ${plain(nginx.tlsUrl)} failed: DEPTH_ZERO_SELF_SIGNED_CERT (a self-signed certificate: trust it with NODE_EXTRA_CA_CERTS=<ca.pem> in the worker's environment, or set http: { rejectUnauthorized: false } for a test target)`,
    );
  });
});
