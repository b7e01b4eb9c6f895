// The ended HTTP spans waiting for export: a ring of preallocated columns (typed arrays of id
// words, times, status and an index into a table of routes), bounded like the SDK's batch span
// processor (OTEL_BSP_MAX_QUEUE_SIZE, 2,048): a span past it is dropped and counted, never the
// request. An object per span that lived until the export (the SDK's span, then ours) died old
// at every-request rates and cost collections; here a span is a few numbers in arrays that live
// as long as the process, and its strings are the route's, made once per method, name and URL.
import type { TracedCallView } from "../http/tracing.ts";

/** What a span is named and where it went: the same for every call of a method and name to a URL. */
export interface SpanRoute {
  readonly method: string;
  readonly callName: string | undefined;
  /** The final URL (credentials masked): url.full. */
  readonly url: string;
  /** "GET <name>" for a call given a name, else "GET <path>" (Locust's requests instrumentation). */
  readonly name: string;
  /** server.address ("" for none) and server.port. */
  readonly host: string;
  readonly port: number;
}

/**
 * A span that ended without a response (the user stopped mid-call, a malformed call): named as
 * its route would be when its request was made ("GET /path", url.full its URL), else by its
 * method alone; its status the reason's message.
 */
export interface SpanFailure {
  readonly method: string;
  readonly message: string;
  readonly name: string;
  readonly url: string | undefined;
  /** server.address ("" for none, as for a call never made) and server.port, as a route's. */
  readonly host: string;
  readonly port: number;
}

/** Routes kept; a span of a route past them keeps its own (URLs with ids would grow the table forever). */
const MAX_ROUTES = 1024;
/** The route column's marks for a span whose note says it all. */
export const FAILED = -1;
export const OWN_ROUTE = -2;
/** The error column's mark for a status-0 span without an error code. */
export const NO_CODE = -1;

export class SpanQueue {
  readonly capacity: number;
  /** Six words a span: the trace id t0..t3, the span id s0 s1. */
  readonly ids: Uint32Array;
  /** performance.now() times. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** The response's status (0: a network failure). */
  readonly status: Int32Array;
  /** An index into routes, FAILED or OWN_ROUTE. */
  readonly route: Int32Array;
  /** For status 0, an index into errorCodes, or NO_CODE. */
  readonly error: Int32Array;
  /** A FAILED span's SpanFailure, an OWN_ROUTE span's SpanRoute. */
  readonly notes: (SpanFailure | SpanRoute | undefined)[];
  readonly routes: SpanRoute[] = [];
  readonly errorCodes: string[] = [];
  /** The oldest span's slot, and how many are queued. */
  head = 0;
  size = 0;
  /** Spans ended, and dropped because the queue was full. */
  ended = 0;
  dropped = 0;
  private readonly byUrl = new Map<string, number[]>();
  private readonly codeIndex = new Map<string, number>();
  private last = -1; // the route of the last span: a load loop ends one route over and over

  /**
   * `added`: after each span queued (the processor's schedule); `full`: when a span is dropped.
   */
  constructor(
    capacity: number,
    private readonly added: () => void,
    private readonly full: () => void,
  ) {
    this.capacity = capacity;
    this.ids = new Uint32Array(capacity * 6);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.status = new Int32Array(capacity);
    this.route = new Int32Array(capacity);
    this.error = new Int32Array(capacity);
    this.notes = new Array(capacity).fill(undefined);
  }

  /** The slot of the i-th queued span. */
  slot(i: number): number {
    const at = this.head + i;
    return at < this.capacity ? at : at - this.capacity;
  }

  /** A call that got a response, or a network failure (status 0, `code` the error's), at `end` (performance.now()). */
  responded(call: TracedCallView, end: number, status: number, url: string, code: string | undefined): void {
    const slot = this.take(call, end);
    if (slot < 0) return;
    this.status[slot] = status;
    const route = this.routeOf(call.method, call.options.name, url);
    this.route[slot] = route;
    this.notes[slot] = route === OWN_ROUTE ? makeRoute(call.method, call.options.name, url) : undefined;
    this.error[slot] = status === 0 && code !== undefined ? this.codeOf(code) : NO_CODE;
    this.added();
  }

  /** A call that ended without a response. */
  failed(call: TracedCallView, end: number, message: string): void {
    const slot = this.take(call, end);
    if (slot < 0) return;
    this.status[slot] = 0;
    this.route[slot] = FAILED;
    const { method, href } = call;
    if (href === undefined) this.notes[slot] = { method, message, name: method, url: undefined, host: "", port: 0 };
    else {
      const { host, port, path } = urlParts(href);
      this.notes[slot] = { method, message, name: spanName(method, call.options.name, path), url: href, host, port };
    }
    this.error[slot] = NO_CODE;
    this.added();
  }

  /** The oldest `count` spans were taken for export: their slots are free. */
  release(count: number): void {
    for (let i = 0; i < count; i++) this.notes[this.slot(i)] = undefined;
    this.head = this.slot(count);
    this.size -= count;
    // A full route table starts over once no queued span points into it.
    if (this.size === 0 && this.routes.length >= MAX_ROUTES) {
      this.routes.length = 0;
      this.byUrl.clear();
      this.last = -1;
    }
  }

  // The slot for an ended span with its ids and times written, or -1 when the queue is full.
  private take(call: TracedCallView, end: number): number {
    this.ended++;
    if (this.size >= this.capacity) {
      if (this.dropped++ === 0) this.full();
      return -1;
    }
    const slot = this.slot(this.size++);
    const ids = this.ids;
    const at = slot * 6;
    ids[at] = call.t0;
    ids[at + 1] = call.t1;
    ids[at + 2] = call.t2;
    ids[at + 3] = call.t3;
    ids[at + 4] = call.s0;
    ids[at + 5] = call.s1;
    this.start[slot] = call.started;
    this.end[slot] = end;
    return slot;
  }

  private routeOf(method: string, callName: string | undefined, url: string): number {
    const routes = this.routes;
    const last = routes[this.last];
    if (last !== undefined && last.url === url && last.method === method && last.callName === callName) return this.last;
    let list = this.byUrl.get(url);
    if (list !== undefined) {
      for (const i of list) {
        const route = routes[i] as SpanRoute;
        if (route.method === method && route.callName === callName) {
          this.last = i;
          return i;
        }
      }
    }
    if (routes.length >= MAX_ROUTES) return OWN_ROUTE;
    if (list === undefined) {
      list = [];
      this.byUrl.set(url, list);
    }
    this.last = routes.length;
    list.push(this.last);
    routes.push(makeRoute(method, callName, url));
    return this.last;
  }

  private codeOf(code: string): number {
    let index = this.codeIndex.get(code);
    if (index === undefined) {
      index = this.errorCodes.push(code) - 1;
      this.codeIndex.set(code, index);
    }
    return index;
  }
}

function makeRoute(method: string, callName: string | undefined, url: string): SpanRoute {
  const { host, port, path } = urlParts(url);
  return { method, callName, url, name: spanName(method, callName, path), host, port };
}

/** "GET <name>" for a call given a name, else "GET <path>" (Locust's requests instrumentation). */
const spanName = (method: string, callName: string | undefined, path: string) => `${method} ${callName ?? path}`;

/** Host, port and path of an absolute http(s) URL, without a URL object. */
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
