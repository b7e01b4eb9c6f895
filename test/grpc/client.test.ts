// ctx.grpc's client against grpcio (a server nobody here wrote): every kind of call recorded as
// docs/grpc.md says, checked against what the server itself logged.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { GrpcClient, GrpcError, type GrpcServerStream, type GrpcUnary, ProtoFiles } from "../../src/grpc/index.ts";
import { recordingRecorder } from "../support/fakes.ts";
import { freePort, ROOT } from "../support/procs.ts";
import { GRPC_TASKS, type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { ownConnectionsTo } from "../support/listeners.ts";
import { waitFor } from "../support/wait.ts";

let server: GrpcServer;
const protos = new ProtoFiles(
  new Map(["helloworld.proto", "route_guide.proto"].map((f) => [f, readFileSync(join(GRPC_TASKS, f), "utf8")])),
);

beforeAll(async () => {
  server = await startGrpcServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

interface Point {
  latitude: number;
  longitude: number;
}
interface Greeter {
  SayHello: GrpcUnary<{ name: string }, { message: string }>;
}
interface RouteGuide {
  ListFeatures: GrpcServerStream<{ lo: Point; hi: Point }, { name: string; location: Point }>;
  RecordRoute: GrpcUnary<Point, unknown>;
}

function client(signal?: AbortSignal) {
  const recorder = recordingRecorder();
  const grpc = new GrpcClient({ recorder, clock: systemClock, protos, signal, host: () => server.target });
  return { recorder, grpc };
}

/** This process's sockets connected to the server (test/support/listeners.ts). */
function connectionsToServer(): number {
  return ownConnectionsTo(Number(server.target.split(":")[1]));
}

describe("a unary call", () => {
  test("returns the reply and records one gRPC request named /package.Service/Method with the reply's bytes", async () => {
    const { recorder, grpc } = client();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target: server.target });
    const result = await greeter.SayHello({ name: "unary" });
    expect(result).toMatchObject({ ok: true, code: 0, status: "OK", details: "", message: { message: "Hello, unary" }, count: 1 });
    // HelloReply{message: "Hello, unary"}: tag, length, 12 bytes.
    expect(result.bytes).toBe(14);
    expect(recorder.records).toEqual([{ ok: true, method: "gRPC", name: "/helloworld.Greeter/SayHello", ms: result.ms, detail: 14 }]);
    grpc.close();
  });

  test("a non-OK status is a failure naming the code and message, returned rather than thrown", async () => {
    const { recorder, grpc } = client();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto" }); // target: the host
    const result = await greeter.SayHello({ name: "fail:NOT_FOUND:no such greeting" });
    expect(result).toMatchObject({ ok: false, code: 5, status: "NOT_FOUND", details: "no such greeting", message: undefined, count: 0 });
    expect(recorder.records).toEqual([
      { ok: false, method: "gRPC", name: "/helloworld.Greeter/SayHello", ms: result.ms, detail: "NOT_FOUND: no such greeting" },
    ]);
    grpc.close();
  });

  test("past its deadline it is DEADLINE_EXCEEDED, recorded at the deadline, not when the server answers", async () => {
    const { recorder, grpc } = client();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", deadlineMs: 5_000 });
    const result = await greeter.SayHello({ name: "sleep:1500" }, { deadlineMs: 200, name: "slow hello" });
    expect(result).toMatchObject({ ok: false, status: "DEADLINE_EXCEEDED", code: 4 });
    expect(result.ms).toBeGreaterThanOrEqual(190);
    expect(result.ms).toBeLessThan(1_400);
    expect(recorder.records).toHaveLength(1);
    expect(recorder.records[0]).toMatchObject({ ok: false, name: "slow hello" });
    expect(result.details).toBe("deadline of 200 ms exceeded");
    expect(recorder.records[0]?.detail).toBe("DEADLINE_EXCEEDED: deadline of 200 ms exceeded");
    grpc.close();
  });

  test("a DEADLINE_EXCEEDED the server sends keeps the server's message, a deadline set or not", async () => {
    const { recorder, grpc } = client();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto" });
    for (const deadlineMs of [5_000, undefined]) {
      const result = await greeter.SayHello({ name: "fail:DEADLINE_EXCEEDED:upstream slow" }, { deadlineMs });
      expect(result).toMatchObject({ ok: false, status: "DEADLINE_EXCEEDED", details: "upstream slow" });
      expect(result.ms).toBeLessThan(5_000);
    }
    expect(recorder.records.map((r) => r.detail)).toEqual(["DEADLINE_EXCEEDED: upstream slow", "DEADLINE_EXCEEDED: upstream slow"]);
    grpc.close();
  });

  test("nothing listening is UNAVAILABLE, naming the refused address", async () => {
    const { recorder, grpc } = client();
    const port = await freePort();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target: `127.0.0.1:${port}` });
    const result = await greeter.SayHello({ name: "nobody" }, { deadlineMs: 5_000 });
    expect(result).toMatchObject({ ok: false, status: "UNAVAILABLE" });
    expect(String(recorder.records[0]?.detail)).toStartWith("UNAVAILABLE: ");
    expect(String(recorder.records[0]?.detail)).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    grpc.close();
  });
});

describe("a server-streaming call", () => {
  test("is one request from start to status, its length the bytes of every message; each message is kept in order", async () => {
    const { recorder, grpc } = client();
    const guide = grpc.service<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto", target: server.target });
    const result = await guide.ListFeatures({ lo: { latitude: 1, longitude: 1 }, hi: { latitude: 3, longitude: 4 } });
    expect(result.ok).toBe(true);
    expect(result.count).toBe(12);
    expect(result.messages.map((f) => f.name)).toEqual([
      "1,1",
      "1,2",
      "1,3",
      "1,4",
      "2,1",
      "2,2",
      "2,3",
      "2,4",
      "3,1",
      "3,2",
      "3,3",
      "3,4",
    ]);
    expect(result.message?.location).toEqual({ latitude: 3, longitude: 4 });
    expect(result.firstMessageMs).toBeLessThanOrEqual(result.ms);
    const sent = await waitFor(() => server.calls().get("/routeguide.RouteGuide/ListFeatures")?.get("OK"), 5_000, "the server's log");
    expect(result.bytes).toBe(sent.bytes);
    expect(recorder.records).toEqual([
      { ok: true, method: "gRPC", name: "/routeguide.RouteGuide/ListFeatures", ms: result.ms, detail: sent.bytes },
    ]);
    grpc.close();
  });

  test("with onMessage the messages are handed over as they come and not kept", async () => {
    const { grpc } = client();
    const guide = grpc.service<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
    const seen: string[] = [];
    const result = await guide.ListFeatures(
      { lo: { latitude: 0, longitude: 0 }, hi: { latitude: 0, longitude: 2 } },
      { onMessage: (f) => seen.push(f.name) },
    );
    expect(seen).toEqual(["0,0", "0,1", "0,2"]);
    expect(result).toMatchObject({ ok: true, count: 3, messages: [] });
    grpc.close();
  });

  test("a status error after some messages is one failure that keeps what arrived", async () => {
    const { recorder, grpc } = client();
    const guide = grpc.service<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
    const result = await guide.ListFeatures({ lo: { latitude: -1, longitude: 0 }, hi: { latitude: 5, longitude: 5 } });
    expect(result).toMatchObject({ ok: false, status: "OUT_OF_RANGE", details: "latitude below 0", count: 2 });
    expect(recorder.records).toEqual([
      { ok: false, method: "gRPC", name: "/routeguide.RouteGuide/ListFeatures", ms: result.ms, detail: "OUT_OF_RANGE: latitude below 0" },
    ]);
    grpc.close();
  });
});

describe("mistakes get one clear message", () => {
  test("an unknown service, method, or a client-streaming method throws a GrpcError naming what exists", async () => {
    const { grpc, recorder } = client();
    expect(() => grpc.service("Greeter", { proto: "helloworld.proto" })).toThrow(
      'helloworld.proto has no service "Greeter"; its services: helloworld.Greeter',
    );
    const greeter = grpc.service<Record<string, GrpcUnary>>("helloworld.Greeter", { proto: "helloworld.proto" });
    expect(() => greeter.SayGoodbye?.({})).toThrow('helloworld.Greeter has no method "SayGoodbye"; its methods: SayHello');
    const guide = grpc.service<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
    expect(() => guide.RecordRoute({ latitude: 1, longitude: 1 })).toThrow(
      "/routeguide.RouteGuide/RecordRoute is client streaming; ctx.grpc calls unary and server-streaming methods only",
    );
    expect(() => grpc.service("x.Y", { proto: "nope.proto" })).toThrow(GrpcError);
    expect(recorder.records).toEqual([]);
    grpc.close();
  });

  test("a request the .proto cannot encode rejects with EREQUEST naming the field; nothing is sent or recorded", async () => {
    const { grpc, recorder } = client();
    const guide = grpc.service<Record<string, GrpcUnary>>("routeguide.RouteGuide", { proto: "route_guide.proto" });
    const cases: [unknown, string][] = [
      [{ latitude: "abc" }, `the request's latitude is "abc", but an int32 is a whole number from -2147483648 to 2147483647`],
      [{ latitude: 2 ** 40 }, "the request's latitude is 1099511627776, but an int32 is a whole number"],
      [{ latitud: 1 }, "the request's latitud is not a field of routeguide.Point (its fields: latitude, longitude)"],
      [undefined, "the request is undefined, but a routeguide.Point is an object of its fields (latitude, longitude)"],
    ];
    for (const [request, message] of cases) {
      const call = guide.GetFeature?.(request as Record<string, unknown>);
      await expect(call).rejects.toMatchObject({ name: "GrpcError", code: "EREQUEST" });
      await expect(call).rejects.toThrow(`/routeguide.RouteGuide/GetFeature: ${message}`);
    }
    const list = guide.ListFeatures?.({ lo: { latitud: 1 }, hi: 5 });
    await expect(list).rejects.toThrow("the request's lo.latitud is not a field of routeguide.Point");
    expect(recorder.records).toEqual([]);
    expect(server.calls().get("/routeguide.RouteGuide/GetFeature")).toBeUndefined(); // no other test calls it
    // The same stub still calls with a request that is right.
    expect(await guide.GetFeature?.({ latitude: 7 })).toMatchObject({ ok: true, message: { name: "7,0" } });
    grpc.close();
  });

  test("a .proto that does not parse names the file and line", () => {
    const bad = new ProtoFiles(new Map([["bad.proto", 'syntax = "proto3";\nmessage X { strin a = 1 }\n']]));
    expect(() => bad.checkAll()).toThrow("bad.proto does not parse: illegal token '}', ';' expected (line 2)");
  });

  test("a missing import names the file that imports it, where imports are looked for, and the .proto files there", () => {
    const bad = new ProtoFiles(
      new Map([
        ["a.proto", 'syntax = "proto3";\nimport "google/protobuf/empty.proto";\nimport "sub/b.proto";\n'],
        ["sub/c.proto", 'syntax = "proto3";\n'],
      ]),
    );
    expect(() => bad.checkAll()).toThrow(
      "sub/b.proto (imported by a.proto) not found: an import is a path from the task folder, as protoc -I reads it, or from the importing file's folder (the task folder's .proto files: a.proto, sub/c.proto)",
    );
  });
});

describe(".proto files in subfolders of the task folder", () => {
  const SUB = 'syntax = "proto3";\npackage shop;\nmessage Money { int64 units = 1; }\n';
  const service = (...imported: string[]) =>
    `syntax = "proto3";\npackage shop;\n${imported.map((i) => `import "${i}";\n`).join("")}service Cart { rpc Pay (Money) returns (Money); }\n`;

  test("a service is named by its path from the task folder, however written; its import is a path from the folder too (protoc -I)", () => {
    const protos = new ProtoFiles(
      new Map([
        ["protos/cart.proto", service("protos/money/money.proto")],
        ["protos/money/money.proto", SUB],
      ]),
    );
    protos.checkAll();
    for (const name of ["protos/cart.proto", "./protos/cart.proto", "protos/x/../cart.proto"])
      expect([...protos.methods(name, "shop.Cart").keys()]).toEqual(["Pay", "pay"]);
  });

  test("an import not found from the folder is read beside the importing file; one file reached by two names is parsed once", () => {
    const protos = new ProtoFiles(
      new Map([
        ["protos/cart.proto", service("money.proto", "protos/money.proto")],
        ["protos/money.proto", SUB],
      ]),
    );
    expect(() => protos.checkAll()).not.toThrow();
    expect(protos.methods("protos/cart.proto", "shop.Cart").get("Pay")?.requestSerialize({ units: "12" })).toEqual(Buffer.from([8, 12]));
  });

  test("the folder's own path wins over the importing file's folder, as protoc's -I does", () => {
    const protos = new ProtoFiles(
      new Map([
        ["protos/cart.proto", service("money.proto")],
        ["money.proto", SUB],
        ["protos/money.proto", 'syntax = "proto3";\npackage other;\n'], // would leave shop.Money undefined
      ]),
    );
    expect(() => protos.methods("protos/cart.proto", "shop.Cart")).not.toThrow();
  });
});

describe("channels", () => {
  test("one per target, shared by the services there; close ends the connection", async () => {
    // The earlier tests closed their clients: their connections go too.
    await waitFor(() => connectionsToServer() === 0, 5_000, "the earlier tests' connections to close");
    const { grpc } = client();
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto" });
    const guide = grpc.service<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
    await Promise.all([
      greeter.SayHello({ name: "a" }),
      greeter.SayHello({ name: "b" }),
      guide.ListFeatures({ lo: { latitude: 0, longitude: 0 }, hi: { latitude: 0, longitude: 0 } }),
    ]);
    expect(grpc.channelCount).toBe(1);
    expect(connectionsToServer()).toBe(1);
    grpc.close();
    await waitFor(() => connectionsToServer() === 0, 5_000, "the channel's connection to close");
    await expect(greeter.SayHello({ name: "late" })).rejects.toThrow("after the user's channels were closed");
  });

  test("the user's kill cancels the calls in flight: they reject with an AbortError and are not recorded", async () => {
    const kill = new AbortController();
    const { grpc, recorder } = client(kill.signal);
    const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto" });
    const pending = greeter.SayHello({ name: "sleep:2000" });
    await new Promise((r) => setTimeout(r, 100));
    kill.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(recorder.records).toEqual([]);
    grpc.close();
  });
});

describe("TLS", () => {
  test("an https:// target speaks TLS (h2 by ALPN); a self-signed certificate passes only with rejectUnauthorized: false", async () => {
    const fixtures = join(ROOT, "test/http/fixtures");
    const tls = await startGrpcServer(GRPC_TASKS, { cert: join(fixtures, "cert.pem"), key: join(fixtures, "key.pem") });
    try {
      const target = `https://localhost:${tls.target.split(":")[1]}`;
      const recorder = recordingRecorder();
      for (const rejectUnauthorized of [false, true]) {
        const grpc = new GrpcClient({ recorder, clock: systemClock, protos, rejectUnauthorized });
        const greeter = grpc.service<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target });
        const result = await greeter.SayHello({ name: "tls" });
        if (rejectUnauthorized) expect(result).toMatchObject({ ok: false, status: "UNAVAILABLE" });
        else expect(result).toMatchObject({ ok: true, message: { message: "Hello, tls" } });
        grpc.close();
      }
      expect(String(recorder.records[1]?.detail)).toMatch(/^UNAVAILABLE: .*(self.signed|certificate)/i);
    } finally {
      await tls.close();
    }
  });
});
