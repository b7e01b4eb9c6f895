// The span queue's export path: the protobuf encoder writes, for the spans of real calls (a 200,
// a named call, a 404, a network failure, a call cut off by its user's stop, a malformed call),
// the same bytes as the SDK's
// ProtobufTraceSerializer for the same spans as ReadableSpans; the queue is bounded as the SDK's
// batch processor is (spans past it dropped, counted, one warning); the batches go out as the
// SDK schedules them, and everything left at shutdown.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { HttpClient } from "../../src/http/client.ts";
import type { TracedCallView } from "../../src/http/tracing.ts";
import { spanTracer } from "../../src/otel/http-spans.ts";
import { OtlpSpanEncoder } from "../../src/otel/otlp-spans.ts";
import { readableSpans } from "../../src/otel/readable-spans.ts";
import { SpanBatches } from "../../src/otel/span-batches.ts";
import type { SpanBatchExport } from "../../src/otel/span-batches.ts";
import { SpanQueue } from "../../src/otel/span-queue.ts";
import { RecordingRecorder, rawServer, type TestServer } from "../http/helpers.ts";
import { fc, fuzz, FUZZ_TIMEOUT_MS } from "../support/fuzz.ts";

let server: TestServer;
beforeAll(async () => {
  server = await rawServer((socket, head) => {
    if (head.startsWith("GET /never")) return; // no answer: the call is cut off by its user's stop
    socket.write(
      head.startsWith("GET /missing")
        ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  });
});
afterAll(() => server.close());

const scope = { name: "loadworker", version: "1.2.3", schemaUrl: undefined };
const resource = defaultResource().merge(
  resourceFromAttributes({ "service.name": "locust", "host.name": "h", port: 8089, ratio: 0.5, on: true, tags: ["a", "b"], ü: "ö" }),
);

describe("the OTLP span encoder", () => {
  test("writes the bytes the SDK's ProtobufTraceSerializer writes for the same spans", async () => {
    const queue = new SpanQueue(
      64,
      () => {},
      () => {},
    );
    const http = new HttpClient({
      baseUrl: server.url,
      recorder: new RecordingRecorder(),
      tracing: { tracer: spanTracer({ queue, sampler: "always_on", ratio: 1 }) },
    });
    await http.get("/items?x=1");
    await http.get("/items/7", { name: "/items/[id]" });
    await http.get("/missing");
    await http.get("/é?q=ü");
    await http.get("http://127.0.0.1:1/refused");
    const cutOff = http.get("/never?page=2", { name: "/never" }).catch((error: unknown) => error);
    await Bun.sleep(50);
    http.interrupt(new Error("the user was stopped"));
    expect(await cutOff).toBeInstanceOf(Error);
    await http.get("ftp://nowhere/").catch(() => {});
    http.close();
    expect(queue.size).toBe(7);
    const offset = Date.now() - performance.now();
    const ours = new OtlpSpanEncoder(resource, scope).encode(queue, queue.size, offset);
    const spans = readableSpans(queue, queue.size, offset, resource, scope);
    expect(spans.map((s) => [s.name, s.attributes["error.type"], s.status.code])).toEqual([
      ["GET /items", undefined, 0],
      ["GET /items/[id]", undefined, 0],
      ["GET /missing", "404", 2],
      ["GET /%C3%A9", undefined, 0],
      ["GET /refused", "ECONNREFUSED", 2],
      ["GET /never", undefined, 2], // named as its route, though it got no response
      ["GET", undefined, 2], // never made: its method alone
    ]);
    // A cut-off call's attributes are its route's (a dashboard filtering by server sees it), status aside.
    const { port } = new URL(server.url);
    expect(spans[5]?.attributes).toEqual({
      "http.request.method": "GET",
      "url.full": `${server.url}/never?page=2`,
      "server.address": "127.0.0.1",
      "server.port": Number(port),
    });
    expect(spans[6]?.attributes).toEqual({ "http.request.method": "GET" });
    expect(Buffer.from(ours).toString("hex")).toBe(
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array).toString("hex"),
    );
    // Into the buffer of an export that finished: the same bytes, whatever it held.
    const spare = new Uint8Array(ours.length + 100).fill(0xee);
    const again = new OtlpSpanEncoder(resource, scope).encode(queue, queue.size, offset, spare);
    expect(again.buffer).toBe(spare.buffer);
    expect(Buffer.from(again).equals(Buffer.from(ours))).toBe(true);
  });
});

describe("the OTLP span encoder, fuzzed", () => {
  // Epoch milliseconds as the worker has them (fractions from performance.now()), the ones a few
  // ulps below a whole second, and whole seconds.
  const epochMs = fc.oneof(
    fc.double({ min: 1.6e12, max: 2.1e12, noNaN: true }),
    fc
      .tuple(fc.integer({ min: 1_600_000_000, max: 2_100_000_000 }), fc.integer({ min: 0, max: 4 }))
      .map(([s, n]) => s * 1e3 - n * 2 ** -12),
  );
  // A run of spans: how many, their start and length, and which outcome (a 200, a 404, refused).
  const spans = fc.array(
    fc.tuple(fc.integer({ min: 1, max: 6 }), epochMs, fc.double({ min: 0, max: 5e3, noNaN: true }), fc.constantFrom(200, 404, 0)),
    {
      minLength: 1,
      maxLength: 12,
    },
  );

  test(
    "writes the SDK serializer's bytes for any times, in runs of one shape and between shapes",
    () => {
      fuzz(
        fc.property(spans, (runs) => {
          const queue = new SpanQueue(
            128,
            () => {},
            () => {},
          );
          let n = 0;
          for (const [times, start, length, status] of runs)
            for (let i = 0; i < times; i++) {
              const view = { ...call(++n), started: start + i * 0.37 };
              queue.responded(
                view,
                view.started + length,
                status,
                "http://127.0.0.1:8080/items?x=1",
                status === 0 ? "ECONNREFUSED" : undefined,
              );
            }
          const ours = new OtlpSpanEncoder(resource, scope).encode(queue, queue.size, 0);
          const sdk = ProtobufTraceSerializer.serializeRequest(readableSpans(queue, queue.size, 0, resource, scope)) as Uint8Array;
          return Buffer.from(ours).equals(Buffer.from(sdk));
        }),
        200,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

const call = (n: number): TracedCallView => ({
  t0: n,
  t1: 0,
  t2: 0,
  t3: 1,
  s0: 0,
  s1: n,
  method: "GET",
  options: {},
  started: performance.now(),
});

describe("SpanBatches", () => {
  test("a full batch goes at once, one export at a time; spans past the queue are dropped with one warning; shutdown sends the rest", async () => {
    const sent: number[] = [];
    const pending: (() => void)[] = [];
    const exporter: SpanBatchExport = {
      send(_queue, count, done) {
        sent.push(count);
        pending.push(() => done());
      },
      shutdown: async () => {},
    };
    const warnings: string[] = [];
    const log = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
    const batches = new SpanBatches({ queueSize: 4, batchSize: 2, delayMs: 60_000, timeoutMs: 60_000 }, exporter, log);
    const queue = batches.queue;
    for (let i = 1; i <= 10; i++) queue.responded(call(i), performance.now(), 200, `${server.url}/`, undefined);
    // 2 went out at once; 4 wait while that export is in flight; 4 were dropped.
    expect(sent).toEqual([2]);
    expect([queue.size, queue.dropped, queue.ended]).toEqual([4, 4, 10]);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain("OTEL_TRACES_SAMPLER=traceidratio");
    (pending.shift() as () => void)();
    await Bun.sleep(0);
    expect(sent).toEqual([2, 2]);
    const stopped = batches.shutdown();
    (pending.shift() as () => void)();
    await Bun.sleep(0);
    (pending.shift() as () => void)();
    await stopped;
    expect(sent).toEqual([2, 2, 2]);
    expect(queue.size).toBe(0);
    expect(warnings.at(-1)).toBe("OpenTelemetry: 4 of 10 spans were dropped (the export queue was full)");
  });

  test("fewer spans than a batch go after the schedule delay", async () => {
    const sent: number[] = [];
    const exporter: SpanBatchExport = { send: (_q, count, done) => void (sent.push(count), done()), shutdown: async () => {} };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const batches = new SpanBatches({ queueSize: 8, batchSize: 4, delayMs: 20, timeoutMs: 1000 }, exporter, log);
    batches.queue.responded(call(1), performance.now(), 200, `${server.url}/`, undefined);
    expect(sent).toEqual([]);
    await Bun.sleep(60);
    expect(sent).toEqual([1]);
    await batches.shutdown();
  });
});
