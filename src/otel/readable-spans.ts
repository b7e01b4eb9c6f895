// The queued HTTP spans as the SDK's ReadableSpan objects, for the http/json exporter (the SDK's
// JsonTraceSerializer: a rare protocol, so it keeps the SDK's path) and the tests: the names,
// attributes and status the protobuf encoder (otlp-spans.ts) writes, as objects.
import { type Attributes, type SpanContext, SpanKind, type SpanStatus, SpanStatusCode, TraceFlags } from "@opentelemetry/api";
import { type InstrumentationScope, hrTimeDuration, millisToHrTime } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { hex8 } from "./span-ids.ts";
import { FAILED, NO_CODE, OWN_ROUTE, type SpanFailure, type SpanQueue, type SpanRoute } from "./span-queue.ts";

/** The oldest `count` queued spans; `wallOffset` turns their performance.now() times into epoch ms. */
export function readableSpans(
  queue: SpanQueue,
  count: number,
  wallOffset: number,
  resource: Resource,
  scope: InstrumentationScope,
): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  for (let i = 0; i < count; i++) {
    const slot = queue.slot(i);
    const w = (k: number) => hex8(queue.ids[slot * 6 + k] as number);
    const context: SpanContext = { traceId: w(0) + w(1) + w(2) + w(3), spanId: w(4) + w(5), traceFlags: TraceFlags.SAMPLED };
    const startTime = millisToHrTime(wallOffset + (queue.start[slot] as number));
    const endTime = millisToHrTime(wallOffset + (queue.end[slot] as number));
    spans.push({
      ...described(queue, slot),
      kind: SpanKind.CLIENT,
      spanContext: () => context,
      parentSpanContext: undefined,
      startTime,
      endTime,
      duration: hrTimeDuration(startTime, endTime),
      ended: true,
      links: [],
      events: [],
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return spans;
}

function described(queue: SpanQueue, slot: number): { name: string; attributes: Attributes; status: SpanStatus } {
  const route = queue.route[slot] as number;
  if (route === FAILED) {
    const { method, message, name, url, host, port } = queue.notes[slot] as SpanFailure;
    const attributes: Attributes = { "http.request.method": method };
    if (url !== undefined) attributes["url.full"] = url;
    if (host !== "") {
      attributes["server.address"] = host;
      attributes["server.port"] = port;
    }
    return { name, attributes, status: { code: SpanStatusCode.ERROR, message } };
  }
  const { method, url, name, host, port } = route === OWN_ROUTE ? (queue.notes[slot] as SpanRoute) : (queue.routes[route] as SpanRoute);
  const status = queue.status[slot] as number;
  const attributes: Attributes = { "http.request.method": method, "url.full": url };
  if (host !== "") {
    attributes["server.address"] = host;
    attributes["server.port"] = port;
  }
  if (status > 0) attributes["http.response.status_code"] = status;
  const code = queue.error[slot] as number;
  const errorType = status === 0 ? (code === NO_CODE ? "error" : queue.errorCodes[code]) : status >= 400 ? String(status) : undefined;
  if (errorType !== undefined) attributes["error.type"] = errorType;
  return { name, attributes, status: { code: errorType === undefined ? SpanStatusCode.UNSET : SpanStatusCode.ERROR } };
}
