// The HTTP spans against a real loopback server: a sampled call sends its traceparent inside the
// request bytes the client caches (and the cached bytes stay as they were), the ended span holds
// the same ids, name and attributes; the ratio samplers pick exactly the trace ids the SDK's
// TraceIdRatioBasedSampler picks; always_off leaves the calls untraced.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { emptyResource } from "@opentelemetry/resources";
import { TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace";
import { HttpClient } from "../../src/http/client.ts";
import type { TracingSlot } from "../../src/http/tracing.ts";
import { spanTracer } from "../../src/otel/http-spans.ts";
import { readableSpans } from "../../src/otel/readable-spans.ts";
import type { SamplerName } from "../../src/otel/settings.ts";
import { IdSource, hex8 } from "../../src/otel/span-ids.ts";
import { SpanQueue } from "../../src/otel/span-queue.ts";
import { RecordingRecorder, rawServer, type TestServer } from "../http/helpers.ts";

let server: TestServer;
const heads: string[] = [];
beforeAll(async () => {
  server = await rawServer((socket, head) => {
    heads.push(head);
    if (head.startsWith("GET /moved")) return void socket.write("HTTP/1.1 302 Found\r\nLocation: /items\r\nContent-Length: 0\r\n\r\n");
    socket.write(
      head.startsWith("GET /missing")
        ? "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    );
  });
});
afterAll(() => server.close());

const scope = { name: "loadworker", version: "test", schemaUrl: undefined };
function traced(sampler: SamplerName, ratio = 1, seed?: Uint32Array, user?: { task: string | null }) {
  const queue = new SpanQueue(
    1024,
    () => {},
    () => {},
  );
  const tracer = spanTracer({ queue, sampler, ratio, ids: seed === undefined ? undefined : new IdSource(seed) });
  const tracing: TracingSlot = { tracer };
  const http = new HttpClient({ baseUrl: server.url, recorder: new RecordingRecorder(), tracing, user });
  // The queued spans as the exporters read them.
  const ended = () => readableSpans(queue, queue.size, Date.now() - performance.now(), emptyResource(), scope);
  return { http, ended, tracing };
}
const traceparentOf = (head: string) => /\r\ntraceparent: (\S+)/.exec(head)?.[1];
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe("HTTP spans", () => {
  test("a sampled call carries its span's traceparent before the empty line; the cached request is left as it was", async () => {
    heads.length = 0;
    const { http, ended, tracing } = traced("parentbased_always_on");
    await http.get("/items?x=1");
    await http.get("/items?x=1", { name: "items" });
    await http.get("/missing");
    tracing.tracer = undefined; // telemetry gone: the same cached request goes out without it
    await http.get("/items?x=1");
    http.close();
    const spans = ended();
    expect(heads.map(traceparentOf).map((t) => t !== undefined)).toEqual([true, true, true, false]);
    const [first, second] = heads.map(traceparentOf);
    expect(first).toMatch(TRACEPARENT);
    expect(first).not.toBe(second);
    expect(heads[0]?.split("\r\n").at(-1)).toStartWith("traceparent: ");
    expect(heads[3]).toBe((heads[0] as string).replace(/\r\ntraceparent: \S+/, ""));

    expect(spans.map((s) => s.name)).toEqual(["GET /items", "GET items", "GET /missing"]);
    for (const [i, span] of spans.entries()) {
      const [, traceId, spanId] = TRACEPARENT.exec(traceparentOf(heads[i] as string) as string) ?? [];
      const { traceId: t, spanId: s, traceFlags } = span.spanContext();
      expect({ t, s, traceFlags }).toEqual({ t: traceId as string, s: spanId as string, traceFlags: 1 });
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.instrumentationScope).toBe(scope);
    }
    expect(spans[0]?.attributes).toEqual({
      "http.request.method": "GET",
      "url.full": `${server.url}/items?x=1`,
      "server.address": "127.0.0.1",
      "server.port": server.port,
      "http.response.status_code": 200,
    });
    expect(spans[0]?.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(spans[2]?.attributes).toMatchObject({ "http.response.status_code": 404, "error.type": "404" });
    expect(spans[2]?.status).toEqual({ code: SpanStatusCode.ERROR });
    const [start, end] = [spans[0]?.startTime as [number, number], spans[0]?.endTime as [number, number]];
    expect(end[0] * 1e9 + end[1]).toBeGreaterThanOrEqual(start[0] * 1e9 + start[1]);
  });

  test("a redirect's request carries the same traceparent; the span is named and ends with the final URL", async () => {
    heads.length = 0;
    const { http, ended } = traced("always_on");
    await http.get("/moved");
    http.close();
    const spans = ended();
    expect(heads.map((h) => h.split("\r\n")[0])).toEqual(["GET /moved HTTP/1.1", "GET /items HTTP/1.1"]);
    const [first, second] = heads.map(traceparentOf);
    expect(first).toMatch(TRACEPARENT);
    expect(second).toBe(first);
    expect(spans.map((s) => [s.name, s.attributes["url.full"]])).toEqual([["GET /items", `${server.url}/items`]]);
  });

  test("calls in flight together on one client each send their own span's traceparent; a loop after them reuses the request bytes", async () => {
    heads.length = 0;
    const { http, ended } = traced("always_on");
    // A fresh client: every request waits in its socket's queue until the connection opens.
    await Promise.all([http.get("/items"), http.get("/items"), http.get("/items"), http.get("/items")]);
    for (let i = 0; i < 3; i++) await http.get("/items");
    await Promise.all([http.get("/items"), http.get("/items")]);
    http.close();
    const spans = ended();
    const sent = heads.map((head) => traceparentOf(head) as string);
    expect(new Set(sent).size).toBe(9);
    expect(new Set(spans.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`))).toEqual(new Set(sent));
    for (const head of heads) expect(head.split("\r\n").slice(0, 1)).toEqual(["GET /items HTTP/1.1"]);
  });

  test("a call with headers of its own gets the traceparent among them, and its own traceparent wins", async () => {
    heads.length = 0;
    const { http, ended } = traced("always_on");
    await http.get("/a", { headers: { "X-Test": "1" } });
    await http.post("/b", { body: "x", headers: { traceparent: "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01" } });
    http.close();
    const spans = ended();
    expect(heads[0]).toContain("\r\nX-Test: 1");
    expect(traceparentOf(heads[0] as string)).toBe(`00-${spans[0]?.spanContext().traceId}-${spans[0]?.spanContext().spanId}-01`);
    expect(traceparentOf(heads[1] as string)).toBe("00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
    expect(spans.map((s) => [s.name, s.attributes["http.response.status_code"]])).toEqual([
      ["GET /a", 200],
      ["POST /b", 200],
    ]);
  });

  test("a call refused because its user was killed, or its client closed, is never made: no span, as no request is recorded", async () => {
    heads.length = 0;
    const { http, ended } = traced("always_on", 1, undefined, { task: "browse" }); // a task's call, not onStop's
    await http.get("/items");
    http.kill(new Error("the user was killed")); // a killed user's task may start no call (client.ts)
    expect((await http.get("/items").catch((error: Error) => error)) as Error).toMatchObject({ name: "AbortError" });
    http.close();
    expect((await http.get("/items").catch((error: Error) => error)) as Error).toMatchObject({ code: "ECLOSED" });
    expect(heads).toHaveLength(1);
    expect(ended()).toHaveLength(1);
  });

  test("traceidratio samples the trace ids TraceIdRatioBasedSampler samples", async () => {
    heads.length = 0;
    const seed = new Uint32Array([1, 2, 3, 4]);
    const { http } = traced("parentbased_traceidratio", 0.3, seed);
    for (let i = 0; i < 200; i++) await http.get("/r");
    http.close();
    // The same words again: each call draws a trace id, and a sampled one a span id after it.
    const replay = new IdSource(new Uint32Array(seed));
    const sdk = new TraceIdRatioBasedSampler(0.3);
    const expected = heads.map(() => {
      const traceId = hex8(replay.next()) + hex8(replay.next()) + hex8(replay.next()) + hex8(replay.next());
      const sampled = sdk.shouldSample(ROOT_CONTEXT, traceId).decision !== 0;
      if (!sampled) return undefined;
      return `00-${traceId}-${hex8(replay.next())}${hex8(replay.next())}-01`;
    });
    expect(heads.map(traceparentOf)).toEqual(expected);
    const sampled = expected.filter((t) => t !== undefined).length;
    expect(sampled).toBeGreaterThan(30);
    expect(sampled).toBeLessThan(90);
  });

  test("always_off, or a ratio of 0, makes no tracer: calls go out as without telemetry", () => {
    expect(traced("always_off").tracing.tracer).toBeUndefined();
    expect(traced("parentbased_always_off").tracing.tracer).toBeUndefined();
    expect(traced("traceidratio", 0).tracing.tracer).toBeUndefined();
  });
});

describe("IdSource", () => {
  test("hex8 writes a word as 8 lowercase digits, big-endian; words differ call to call", () => {
    expect(hex8(0)).toBe("00000000");
    expect(hex8(0xdeadbeef)).toBe("deadbeef");
    expect(hex8(0x0000abcd)).toBe("0000abcd");
    const ids = new IdSource();
    const words = new Set(Array.from({ length: 1000 }, () => ids.next()));
    expect(words.size).toBe(1000);
    for (const w of words) expect(w >>> 0).toBe(w);
  });
});
