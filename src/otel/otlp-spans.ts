// The OTLP protobuf ExportTraceServiceRequest for a batch of the HTTP spans, written from the
// span queue (span-queue.ts) into one buffer: our one span shape, the same bytes the SDK's
// ProtobufTraceSerializer writes for the same spans (test/otel/otlp-spans.test.ts compares them)
// without a ReadableSpan, hex ids or an attribute object per span. The id words are written as
// bytes; a route's name and attributes, the resource and the scope are encoded once.
import type { InstrumentationScope } from "@opentelemetry/core";
import type { Resource } from "@opentelemetry/resources";
import { concat, delimited, EpochNanos, keyValue, stringField, varintSize, writeVarint } from "./protobuf.ts";
import { FAILED, NO_CODE, OWN_ROUTE, type SpanFailure, type SpanQueue, type SpanRoute } from "./span-queue.ts";

/** Span fields of every span besides its route's: ids (2+16, 2+8), times (9, 9). */
const FIXED = 46;
/** Status UNSET and ERROR (code 0, 2; no message). */
const UNSET = new Uint8Array([0x7a, 2, 0x18, 0]);
const ERROR = new Uint8Array([0x7a, 2, 0x18, 2]);
/** dropped_attributes_count, dropped_events_count, dropped_links_count: 0. */
const DROPPED = new Uint8Array([0x50, 0, 0x60, 0, 0x70, 0]);
/** flags (field 16, fixed32): SAMPLED | CONTEXT_HAS_IS_REMOTE, the SDK's 257 for a root span. */
const FLAGS = new Uint8Array([0x85, 0x01, 1, 1, 0, 0]);
/** kind: SPAN_KIND_CLIENT. */
const KIND = new Uint8Array([0x30, 3]);
const NONE = new Uint8Array(0);

/**
 * A span's bytes around its ids and times: `head` (name, kind) before the times, `tail`
 * (attributes, dropped counts, status, flags) after them. The same for every span of a route
 * with one outcome, so a batch copies two chunks a span.
 */
interface SpanShape {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
}

/** A route's head, and its tails by outcome (outcomeKey). */
interface RouteShapes {
  readonly head: Uint8Array;
  readonly attributes: Uint8Array;
  readonly tails: Map<number, Uint8Array>;
}

export class OtlpSpanEncoder {
  private readonly resource: Uint8Array; // field 1 of ResourceSpans, and its schema_url (field 3) after the scope spans
  private readonly resourceSchema: Uint8Array;
  private readonly scope: Uint8Array; // field 1 of ScopeSpans
  private readonly routes = new WeakMap<SpanRoute, RouteShapes>();
  // Per span of the batch being encoded: its shape.
  private shapes: SpanShape[] = [];
  // The shape of the last span: a load loop ends one route with one outcome over and over.
  private lastRoute: SpanRoute | undefined;
  private lastKey = 0;
  private lastShape: SpanShape = { head: NONE, tail: NONE };
  private readonly nanos = new EpochNanos();

  constructor(resource: Resource, scope: InstrumentationScope) {
    const attributes = resource.attributes;
    const kvs = Object.keys(attributes).map((key) => keyValue(1, key, attributes[key] as never));
    this.resource = delimited(1, concat(...kvs, new Uint8Array([2 << 3, 0])));
    this.resourceSchema = resource.schemaUrl ? stringField(3, resource.schemaUrl) : NONE;
    this.scope = delimited(1, concat(stringField(1, scope.name), scope.version ? stringField(2, scope.version) : NONE));
  }

  /**
   * The request for the oldest `count` queued spans; `wallOffset` turns their performance.now()
   * times into epoch ms. Written into `spare` (a buffer an export has finished with) when it is
   * large enough: a new 100 KB buffer per batch was ~10 MB/s of allocation at every-request rates.
   */
  encode(queue: SpanQueue, count: number, wallOffset: number, spare?: Uint8Array): Uint8Array {
    let spans = 0;
    for (let i = 0; i < count; i++) {
      const shape = this.shapeOf(queue, queue.slot(i));
      this.shapes[i] = shape;
      const length = FIXED + shape.head.length + shape.tail.length;
      spans += 1 + varintSize(length) + length;
    }
    const scopeSpans = this.scope.length + spans;
    const resourceSpans = this.resource.length + 1 + varintSize(scopeSpans) + scopeSpans + this.resourceSchema.length;
    const size = 1 + varintSize(resourceSpans) + resourceSpans;
    const out = spare !== undefined && spare.length >= size ? spare.subarray(0, size) : new Uint8Array(size);
    let pos = writeVarint(out, writeVarint(out, 0, 0x0a), resourceSpans);
    out.set(this.resource, pos);
    pos = writeVarint(out, pos + this.resource.length, 0x12);
    pos = writeVarint(out, pos, scopeSpans);
    out.set(this.scope, pos);
    pos += this.scope.length;
    const { ids, start, end } = queue;
    const nanos = this.nanos;
    // A span of the same shape as the one before is that one's bytes with its own ids and times.
    let last: SpanShape | undefined;
    let lastAt = 0;
    let length = 0; // of the last shape's span: its tag, length and body
    let idsAt = 0; // where its trace id starts, from its start
    for (let i = 0; i < count; i++) {
      const slot = queue.slot(i);
      const shape = this.shapes[i] as SpanShape;
      const at = pos;
      const { head, tail } = shape;
      if (shape === last) out.copyWithin(at, lastAt, lastAt + length);
      else {
        const body = FIXED + head.length + tail.length;
        idsAt = writeVarint(out, writeVarint(out, at, 0x12), body) + 2 - at;
        length = idsAt - 2 + body;
        const ids0 = at + idsAt;
        out[ids0 - 2] = 0x0a; // trace_id
        out[ids0 - 1] = 16;
        out[ids0 + 16] = 0x12; // span_id
        out[ids0 + 17] = 8;
        out.set(head, ids0 + 26);
        out[ids0 + 26 + head.length] = 0x39; // start_time_unix_nano
        out[ids0 + 35 + head.length] = 0x41; // end_time_unix_nano
        out.set(tail, ids0 + 44 + head.length);
        last = shape;
        lastAt = at;
      }
      pos = at + idsAt;
      const w = slot * 6;
      writeWord(out, pos, ids[w] as number);
      writeWord(out, pos + 4, ids[w + 1] as number);
      writeWord(out, pos + 8, ids[w + 2] as number);
      writeWord(out, pos + 12, ids[w + 3] as number);
      writeWord(out, pos + 18, ids[w + 4] as number);
      writeWord(out, pos + 22, ids[w + 5] as number);
      nanos.write(out, pos + 27 + head.length, wallOffset + (start[slot] as number));
      nanos.write(out, pos + 36 + head.length, wallOffset + (end[slot] as number));
      pos = at + length;
    }
    out.set(this.resourceSchema, pos);
    this.shapes.length = 0;
    return out;
  }

  private shapeOf(queue: SpanQueue, slot: number): SpanShape {
    const index = queue.route[slot] as number;
    if (index === FAILED) {
      const { method, message, name, url, host, port } = queue.notes[slot] as SpanFailure;
      const status = delimited(15, concat(message === "" ? NONE : stringField(2, message), new Uint8Array([0x18, 2])));
      const head = concat(stringField(5, name), KIND);
      const attributes = concat(
        keyValue(9, "http.request.method", method),
        url === undefined ? NONE : keyValue(9, "url.full", url),
        host === "" ? NONE : concat(keyValue(9, "server.address", host), keyValue(9, "server.port", port)),
      );
      return { head, tail: concat(attributes, DROPPED, status, FLAGS) };
    }
    const route = index === OWN_ROUTE ? (queue.notes[slot] as SpanRoute) : (queue.routes[index] as SpanRoute);
    const status = queue.status[slot] as number;
    // The outcome: a status, or for a network failure its error code's index (below -1).
    const key = status > 0 ? status : -2 - (queue.error[slot] as number);
    if (route === this.lastRoute && key === this.lastKey) return this.lastShape;
    const shapes = this.routeShapes(route);
    let tail = shapes.tails.get(key);
    if (tail === undefined) {
      const code = queue.error[slot] as number;
      const errorType = status === 0 ? (code === NO_CODE ? "error" : queue.errorCodes[code]) : status >= 400 ? String(status) : undefined;
      tail = concat(
        shapes.attributes,
        status > 0 ? keyValue(9, "http.response.status_code", status) : NONE,
        errorType === undefined ? NONE : keyValue(9, "error.type", errorType),
        DROPPED,
        errorType === undefined ? UNSET : ERROR,
        FLAGS,
      );
      shapes.tails.set(key, tail);
    }
    this.lastRoute = route;
    this.lastKey = key;
    this.lastShape = { head: shapes.head, tail };
    return this.lastShape;
  }

  private routeShapes(route: SpanRoute): RouteShapes {
    let shapes = this.routes.get(route);
    if (shapes === undefined) {
      const parts = [keyValue(9, "http.request.method", route.method), keyValue(9, "url.full", route.url)];
      if (route.host !== "") parts.push(keyValue(9, "server.address", route.host), keyValue(9, "server.port", route.port));
      shapes = { head: concat(stringField(5, route.name), KIND), attributes: concat(...parts), tails: new Map() };
      this.routes.set(route, shapes);
    }
    return shapes;
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
