// A span per HTTP call (the client's hook, http/tracing.ts), named and attributed as Locust's
// requests instrumentation names it: "GET <name>" for a call given a name, else "GET <path>",
// kind CLIENT, with the stable HTTP semantic conventions. A sampled span's W3C traceparent goes
// to the target with the request; an unsampled call goes out as it would without telemetry.
// The SDK's Tracer made a span object, hex ids and a sampling result for every call, sampled or
// not, and the client serialized a new head for its traceparent (bench/NOTES.md, "OpenTelemetry").
// Here the sampler's decision comes first, from four random words (span-ids.ts); a sampled call's
// span is one record, which writes its traceparent's bytes into the request and is handed to the
// batch processor when the call ends; its ids as text, name and attributes are made when the
// exporter reads them (at a high rate the processor's queue drops most spans unread).
import { type Attributes, type HrTime, type SpanContext, SpanKind, type SpanStatus, SpanStatusCode, TraceFlags } from "@opentelemetry/api";
import { type InstrumentationScope, hrTimeDuration, millisToHrTime } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import type { CallTracer, TracedResponse, Traceparent } from "../http/tracing.ts";
import type { SamplerName } from "./settings.ts";
import { IdSource, hex8, ratioBound, writeHex8 } from "./span-ids.ts";

export interface SpanTracerInit {
  /** Where ended spans go: the batch span processor. */
  readonly processor: { onEnd(span: ReadableSpan): void };
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG for the traceidratio samplers. */
  readonly ratio: number;
  readonly ids?: IdSource;
}

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
const ERROR: SpanStatus = Object.freeze({ code: SpanStatusCode.ERROR });

/** The tracer for the clients' slot; undefined when the sampler samples nothing (the calls go out untouched). */
export function spanTracer(init: SpanTracerInit): CallTracer | undefined {
  // Our spans are roots (no context is propagated into a task), so parentbased_X samples as X.
  const root = init.sampler.replace(/^parentbased_/, "");
  if (root === "always_off") return undefined;
  const bound = root === "traceidratio" ? ratioBound(init.ratio) : 4294967296;
  if (bound === 0) return undefined;
  const { processor, resource, scope } = init;
  const ids = init.ids ?? new IdSource();
  return {
    trace(method, url, options, send) {
      const a = ids.next();
      const b = ids.next();
      const c = ids.next();
      const d = ids.next();
      // TraceIdRatioBasedSampler's test on the id's words; an all-zero id is invalid (never sampled).
      if ((a ^ b ^ c ^ d) >>> 0 >= bound || (a | b | c | d) === 0) return send(method, url, options, undefined);
      let e = ids.next();
      const f = ids.next();
      if ((e | f) === 0) e = 1; // an all-zero span id is invalid
      const span = new HttpSpan(a, b, c, d, e, f, method, options.name, resource, scope);
      const promise = send(method, url, options, span);
      promise.then(
        (response) => {
          span.end(response);
          processor.onEnd(span);
        },
        (reason: unknown) => {
          // Not a response: the user was stopped mid-call, or the call was malformed.
          span.failed(reason instanceof Error ? reason.message : String(reason));
          processor.onEnd(span);
        },
      );
      return promise;
    },
  };
}

/** A CLIENT span: the traceparent the call sends, then, ended, what the batch processor and the OTLP exporters read. */
class HttpSpan implements ReadableSpan, SpanContext, Traceparent {
  readonly kind = SpanKind.CLIENT;
  readonly traceFlags = TraceFlags.SAMPLED;
  readonly parentSpanContext = undefined;
  readonly links = [];
  readonly events = [];
  readonly ended = true;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  private readonly startMs = Date.now();
  private readonly started = performance.now();
  private endMs = 0;
  private outcome: number | string = 0; // a response's status (0: a network error), or why the call failed
  private url = "";
  private errorCode: string | undefined;
  private ids: { traceId: string; spanId: string } | undefined;
  private made: { name: string; attributes: Attributes; status: SpanStatus } | undefined;

  constructor(
    private readonly a: number,
    private readonly b: number,
    private readonly c: number,
    private readonly d: number,
    private readonly e: number,
    private readonly f: number,
    private readonly method: string,
    private readonly callName: string | undefined,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
  ) {}

  writeTo(bytes: Uint8Array, offset: number): void {
    bytes[offset] = 48; // "00-"
    bytes[offset + 1] = 48;
    bytes[offset + 2] = 45;
    writeHex8(bytes, offset + 3, this.a);
    writeHex8(bytes, offset + 11, this.b);
    writeHex8(bytes, offset + 19, this.c);
    writeHex8(bytes, offset + 27, this.d);
    bytes[offset + 35] = 45;
    writeHex8(bytes, offset + 36, this.e);
    writeHex8(bytes, offset + 44, this.f);
    bytes[offset + 52] = 45; // "-01"
    bytes[offset + 53] = 48;
    bytes[offset + 54] = 49;
  }
  text(): string {
    return `00-${this.traceId}-${this.spanId}-01`;
  }

  end(response: TracedResponse): void {
    this.endMs = this.startMs + (performance.now() - this.started);
    this.outcome = response.status;
    this.url = response.url;
    this.errorCode = response.error?.code;
  }
  failed(message: string): void {
    this.endMs = this.startMs + (performance.now() - this.started);
    this.outcome = message;
  }

  spanContext(): SpanContext {
    return this;
  }
  get traceId(): string {
    return this.idText().traceId;
  }
  get spanId(): string {
    return this.idText().spanId;
  }
  get name(): string {
    return this.parts().name;
  }
  get attributes(): Attributes {
    return this.parts().attributes;
  }
  get status(): SpanStatus {
    return this.parts().status;
  }
  get startTime(): HrTime {
    return millisToHrTime(this.startMs);
  }
  get endTime(): HrTime {
    return millisToHrTime(this.endMs);
  }
  get duration(): HrTime {
    return hrTimeDuration(this.startTime, this.endTime);
  }

  private idText() {
    this.ids ??= { traceId: hex8(this.a) + hex8(this.b) + hex8(this.c) + hex8(this.d), spanId: hex8(this.e) + hex8(this.f) };
    return this.ids;
  }

  // What the SDK's span held when it ended, made once, when first read (after the call ended).
  private parts() {
    if (this.made !== undefined) return this.made;
    const { method } = this;
    const attributes: Attributes = { "http.request.method": method };
    const status = this.outcome;
    if (typeof status === "string") {
      this.made = { name: method, attributes, status: { code: SpanStatusCode.ERROR, message: status } };
      return this.made;
    }
    const parts = urlParts(this.url);
    attributes["url.full"] = this.url;
    if (parts.host !== "") {
      attributes["server.address"] = parts.host;
      attributes["server.port"] = parts.port;
    }
    if (status > 0) attributes["http.response.status_code"] = status;
    const errorType = status === 0 ? (this.errorCode ?? "error") : status >= 400 ? String(status) : undefined;
    if (errorType !== undefined) attributes["error.type"] = errorType;
    const name = `${method} ${this.callName ?? parts.path}`;
    this.made = { name, attributes, status: errorType === undefined ? UNSET : ERROR };
    return this.made;
  }
}

/** Host, port and path of an absolute http(s) URL, without a URL object per request. */
export function urlParts(url: string): { host: string; port: number; path: string } {
  const scheme = url.indexOf("://");
  if (scheme < 0) return { host: "", port: 0, path: url };
  const start = scheme + 3;
  let end = url.indexOf("/", start);
  const query = url.indexOf("?", start);
  if (end < 0 || (query >= 0 && query < end)) end = query < 0 ? url.length : query;
  const authority = url.slice(start, end);
  const stop = url.indexOf("?", end);
  const path = url.slice(end, stop < 0 ? url.length : stop) || "/";
  const colon = authority.lastIndexOf(":");
  const bracket = authority.lastIndexOf("]");
  const hasPort = colon > bracket;
  const host = (hasPort ? authority.slice(0, colon) : authority).replace(/^\[|\]$/g, "");
  const port = hasPort ? Number(authority.slice(colon + 1)) : url.startsWith("https") ? 443 : 80;
  return { host, port, path };
}
