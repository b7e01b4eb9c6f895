// The OTLP protobuf ExportTraceServiceRequest for a batch of the HTTP spans, written from the
// span queue (span-queue.ts) into one buffer: our one span shape, the same bytes the SDK's
// ProtobufTraceSerializer writes for the same spans (test/otel/otlp-spans.test.ts compares them)
// without a ReadableSpan, hex ids or an attribute object per span. The id words are written as
// bytes; a route's name and attributes, the resource and the scope are encoded once.
import type { InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import { concat, delimited, keyValue, stringField, varintSize, writeEpochNanos, writeVarint } from "./protobuf.ts";
import { FAILED, NO_CODE, OWN_ROUTE, type SpanFailure, type SpanQueue, type SpanRoute } from "./span-queue.ts";

/** Span fields of every span: ids (2+16, 2+8), kind (2), times (9, 9), dropped counts (2, 2, 2), flags (2+4). */
const FIXED = 60;
/** Status: UNSET, ERROR (code 0, 2; no message). */
const UNSET = new Uint8Array([0x7a, 2, 0x18, 0]);
const ERROR = new Uint8Array([0x7a, 2, 0x18, 2]);
const NONE = new Uint8Array(0);

/** A route's name field and its attributes that do not depend on the response. */
interface RouteBytes {
  readonly name: Uint8Array;
  readonly attributes: Uint8Array;
}

export class OtlpSpanEncoder {
  private readonly resource: Uint8Array; // field 1 of ResourceSpans, and its schema_url (field 3) after the scope spans
  private readonly resourceSchema: Uint8Array;
  private readonly scope: Uint8Array; // field 1 of ScopeSpans
  private readonly routes = new WeakMap<SpanRoute, RouteBytes>();
  private readonly statusCodes = new Map<number, Uint8Array>();
  private readonly errorTypes = new Map<string, Uint8Array>();
  // Per span of the batch being encoded: its parts, then its length.
  private names: Uint8Array[] = [];
  private attributes: Uint8Array[] = [];
  private codes: Uint8Array[] = [];
  private types: Uint8Array[] = [];
  private statuses: Uint8Array[] = [];
  private lengths = new Int32Array(0);

  constructor(resource: Resource, scope: InstrumentationScope) {
    const attributes = resource.attributes;
    const kvs = Object.keys(attributes).map((key) => keyValue(1, key, attributes[key] as never));
    this.resource = delimited(1, concat(...kvs, new Uint8Array([2 << 3, 0])));
    this.resourceSchema = resource.schemaUrl ? stringField(3, resource.schemaUrl) : NONE;
    this.scope = delimited(1, concat(stringField(1, scope.name), scope.version ? stringField(2, scope.version) : NONE));
  }

  /** The request for the oldest `count` queued spans; `wallOffset` turns their performance.now() times into epoch ms. */
  encode(queue: SpanQueue, count: number, wallOffset: number): Uint8Array {
    if (this.lengths.length < count) this.lengths = new Int32Array(count);
    let spans = 0;
    for (let i = 0; i < count; i++) {
      const length = this.parts(queue, queue.slot(i), i);
      this.lengths[i] = length;
      spans += 1 + varintSize(length) + length;
    }
    const scopeSpans = this.scope.length + spans;
    const resourceSpans = this.resource.length + 1 + varintSize(scopeSpans) + scopeSpans + this.resourceSchema.length;
    const out = new Uint8Array(1 + varintSize(resourceSpans) + resourceSpans);
    let pos = writeVarint(out, writeVarint(out, 0, 0x0a), resourceSpans);
    out.set(this.resource, pos);
    pos = writeVarint(out, pos + this.resource.length, 0x12);
    pos = writeVarint(out, pos, scopeSpans);
    out.set(this.scope, pos);
    pos += this.scope.length;
    for (let i = 0; i < count; i++) pos = this.span(out, pos, queue, queue.slot(i), i, wallOffset);
    out.set(this.resourceSchema, pos);
    return out;
  }

  // The span's chunks into the batch's arrays; its length.
  private parts(queue: SpanQueue, slot: number, i: number): number {
    const route = queue.route[slot] as number;
    const status = queue.status[slot] as number;
    let code: Uint8Array = NONE;
    let type: Uint8Array = NONE;
    let state: Uint8Array = UNSET;
    let bytes: RouteBytes;
    if (route === FAILED) {
      const { method, message } = queue.notes[slot] as SpanFailure;
      bytes = { name: stringField(5, method), attributes: keyValue(9, "http.request.method", method) };
      state = delimited(15, concat(message === "" ? NONE : stringField(2, message), new Uint8Array([0x18, 2])));
    } else {
      bytes = this.routeBytes(route === OWN_ROUTE ? (queue.notes[slot] as SpanRoute) : (queue.routes[route] as SpanRoute));
      if (status > 0) code = this.statusCode(status);
      const errorType =
        status === 0
          ? queue.error[slot] === NO_CODE
            ? "error"
            : (queue.errorCodes[queue.error[slot] as number] as string)
          : status >= 400
            ? status
            : 0;
      if (errorType !== 0) {
        type = this.errorType(String(errorType));
        state = ERROR;
      }
    }
    this.names[i] = bytes.name;
    this.attributes[i] = bytes.attributes;
    this.codes[i] = code;
    this.types[i] = type;
    this.statuses[i] = state;
    return FIXED + bytes.name.length + bytes.attributes.length + code.length + type.length + state.length;
  }

  private span(out: Uint8Array, at: number, queue: SpanQueue, slot: number, i: number, wallOffset: number): number {
    let pos = writeVarint(out, writeVarint(out, at, 0x12), this.lengths[i] as number);
    out[pos++] = 0x0a; // trace_id
    out[pos++] = 16;
    const ids = queue.ids;
    for (let w = slot * 6, end = w + 4; w < end; w++) pos = writeWord(out, pos, ids[w] as number);
    out[pos++] = 0x12; // span_id
    out[pos++] = 8;
    pos = writeWord(out, writeWord(out, pos, ids[slot * 6 + 4] as number), ids[slot * 6 + 5] as number);
    pos = copy(out, pos, this.names[i] as Uint8Array);
    out[pos++] = 0x30; // kind: SPAN_KIND_CLIENT
    out[pos++] = 3;
    out[pos++] = 0x39; // start_time_unix_nano
    pos = writeEpochNanos(out, pos, wallOffset + (queue.start[slot] as number));
    out[pos++] = 0x41; // end_time_unix_nano
    pos = writeEpochNanos(out, pos, wallOffset + (queue.end[slot] as number));
    pos = copy(out, pos, this.attributes[i] as Uint8Array);
    pos = copy(out, pos, this.codes[i] as Uint8Array);
    pos = copy(out, pos, this.types[i] as Uint8Array);
    out[pos++] = 0x50; // dropped_attributes_count, dropped_events_count, dropped_links_count: 0
    out[pos++] = 0;
    out[pos++] = 0x60;
    out[pos++] = 0;
    out[pos++] = 0x70;
    out[pos++] = 0;
    pos = copy(out, pos, this.statuses[i] as Uint8Array);
    out[pos++] = 0x85; // flags (field 16, fixed32): SAMPLED | CONTEXT_HAS_IS_REMOTE (the SDK's 257)
    out[pos++] = 0x01;
    out[pos++] = 1;
    out[pos++] = 1;
    out[pos++] = 0;
    out[pos++] = 0;
    return pos;
  }

  private routeBytes(route: SpanRoute): RouteBytes {
    let bytes = this.routes.get(route);
    if (bytes === undefined) {
      const parts = [keyValue(9, "http.request.method", route.method), keyValue(9, "url.full", route.url)];
      if (route.host !== "") parts.push(keyValue(9, "server.address", route.host), keyValue(9, "server.port", route.port));
      bytes = { name: stringField(5, route.name), attributes: concat(...parts) };
      this.routes.set(route, bytes);
    }
    return bytes;
  }

  private statusCode(status: number): Uint8Array {
    let bytes = this.statusCodes.get(status);
    if (bytes === undefined) {
      bytes = keyValue(9, "http.response.status_code", status);
      this.statusCodes.set(status, bytes);
    }
    return bytes;
  }

  private errorType(type: string): Uint8Array {
    let bytes = this.errorTypes.get(type);
    if (bytes === undefined) {
      bytes = keyValue(9, "error.type", type);
      this.errorTypes.set(type, bytes);
    }
    return bytes;
  }
}

// A 32-bit id word as 4 bytes, big-endian: the id's hex digits, as bytes.
function writeWord(out: Uint8Array, pos: number, word: number): number {
  out[pos] = word >>> 24;
  out[pos + 1] = (word >>> 16) & 255;
  out[pos + 2] = (word >>> 8) & 255;
  out[pos + 3] = word & 255;
  return pos + 4;
}

// Chunks are tens of bytes: a loop beats set()'s call overhead.
function copy(out: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) out[pos + i] = bytes[i] as number;
  return pos + bytes.length;
}
