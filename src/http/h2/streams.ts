// The streams of one HTTP/2 connection (session.ts owns the socket): opening one per call within
// the server's MAX_CONCURRENT_STREAMS, the frames that answer them, flow control for request
// bodies, and how each stream ends: a response, a resend (the server did not process it), or a
// recorded failure.
import type { Call } from "../call.ts";
import { ConnectionFailure, HttpError } from "../errors.ts";
import type { RawResponse } from "../raw-response.ts";
import type { Origin } from "../request.ts";
import { errorCodeName } from "./error-codes.ts";
import { F, frame, headerFrames, readU31, readU32, settingsOf, T, windowUpdate } from "./frames.ts";
import { type HeaderBlock, HeaderBlocks, statusOf } from "./header-blocks.ts";
import type { H2Stream, StreamsLink } from "./stream.ts";
import { h2Response, requestBlock, takeBody } from "./messages.ts";

const REFUSED_STREAM = 7;
const MAX_RESENDS = 10;
const MAX_STREAM_ID = 2 ** 31 - 1;

export class Streams {
  private readonly open = new Map<number, H2Stream>();
  private waiting: Call[] = [];
  private started = false;
  private nextId = 1;
  private maxConcurrent = Infinity; // until the server's SETTINGS say
  private maxFrame = 16_384;
  private initialWindow = 65_535;
  private connectionWindow = 65_535;
  private received = 0; // DATA bytes since our last connection WINDOW_UPDATE
  private lastProcessed = Infinity; // a GOAWAY's last stream id: streams above it were not processed
  private readonly blocks = new HeaderBlocks();

  constructor(
    private readonly origin: Origin,
    private readonly maxBodyBytes: number,
    private readonly link: StreamsLink,
  ) {}

  get size(): number {
    return this.open.size + this.waiting.length;
  }

  /** The preface is out: streams may start. */
  ready(): void {
    this.started = true;
    this.startWaiting();
  }

  send(call: Call): void {
    if (!this.started || this.open.size >= this.maxConcurrent) this.waiting.push(call);
    else this.start(call);
  }

  takeWaiting(): Call[] {
    const waiting = this.waiting;
    this.waiting = [];
    return waiting;
  }

  takeAll(): Call[] {
    const calls = [...this.takeWaiting(), ...[...this.open.values()].map((s) => s.call)];
    this.open.clear();
    return calls;
  }

  /** The connection is gone: each open stream is resent (past a GOAWAY's last) or fails with `error`. */
  lost(error: HttpError): void {
    const streams = [...this.open.values()];
    this.open.clear();
    for (const stream of streams) this.ended(stream, stream.id > this.lastProcessed, error);
  }

  /** Calls past their deadline leave (`expired` tells each); returns the next deadline. */
  expire(now: number, expired: (stream: H2Stream | undefined, call: Call) => void): number {
    let next = Infinity;
    const late = (call: Call) => {
      if (call.deadline > now) next = Math.min(next, call.deadline);
      return call.deadline <= now;
    };
    const waiting = this.waiting.filter(late);
    this.waiting = this.waiting.filter((call) => !waiting.includes(call));
    for (const call of waiting) expired(undefined, call);
    for (const stream of [...this.open.values()]) {
      if (!late(stream.call)) continue;
      this.open.delete(stream.id);
      expired(stream, stream.call);
    }
    this.afterEnd();
    return next;
  }

  /** One frame from the server: its payload is `bytes[start, end)`. */
  frame(type: number, flags: number, id: number, bytes: Uint8Array, start: number, end: number): void {
    if (this.blocks.open && type !== T.CONTINUATION) return this.link.fail("a header block was interrupted");
    if (type === T.DATA) return this.data(flags, id, bytes, start, end);
    if (type === T.HEADERS) return this.headers(this.blocks.headers(flags, id, bytes, start, end));
    const payload = bytes.subarray(start, end); // the other frames are rare
    switch (type) {
      case T.CONTINUATION:
        return this.headers(this.blocks.continuation(flags, id, payload));
      case T.RST_STREAM: {
        const stream = this.open.get(id);
        if (stream === undefined) return;
        this.open.delete(id);
        const code = readU32(payload, 0);
        const why = `${this.origin.authority} reset the HTTP/2 stream (RST_STREAM ${errorCodeName(code)}) before the response was complete`;
        this.ended(stream, code === REFUSED_STREAM, new HttpError("ECONNRESET", why));
        return this.afterEnd();
      }
      case T.SETTINGS:
        if (flags & F.ACK) return;
        for (const [key, value] of settingsOf(payload)) this.setting(key, value);
        this.link.write(frame(T.SETTINGS, F.ACK, 0, new Uint8Array(0)));
        return this.startWaiting();
      case T.PING:
        if ((flags & F.ACK) === 0) this.link.write(frame(T.PING, F.ACK, 0, payload));
        return;
      case T.GOAWAY: {
        this.lastProcessed = readU31(payload, 0);
        const gone = [...this.open.values()].filter((s) => s.id > this.lastProcessed);
        for (const stream of gone) this.open.delete(stream.id);
        this.link.drain();
        const why = `${this.origin.authority} sent GOAWAY ${errorCodeName(payload.length >= 8 ? readU32(payload, 4) : 0)}`;
        for (const stream of gone) this.ended(stream, true, new HttpError("ECONNRESET", why));
        return this.afterEnd();
      }
      case T.WINDOW_UPDATE: {
        const increment = readU31(payload, 0);
        if (id === 0) this.connectionWindow += increment;
        else {
          const stream = this.open.get(id);
          if (stream !== undefined) stream.sendWindow += increment;
        }
        for (const stream of this.open.values()) if (stream.body !== undefined) this.sendBody(stream);
        return;
      }
      case T.PUSH_PROMISE:
        return this.link.fail("PUSH_PROMISE, though we turned server push off");
    }
  }

  private start(call: Call): void {
    if (this.nextId > MAX_STREAM_ID) {
      this.link.drain(); // the stream ids are used up: a fresh connection
      return this.link.resend(call);
    }
    const id = this.nextId;
    this.nextId += 2;
    const hop = call.hop;
    const body = hop.body !== undefined && hop.body.length > 0 ? hop.body : undefined;
    const stream: H2Stream = { id, call, response: undefined, sendWindow: this.initialWindow, body };
    this.open.set(id, stream);
    const block = requestBlock(hop, call.wire);
    for (const bytes of headerFrames(id, block, body === undefined, this.maxFrame)) this.link.write(bytes);
    if (body !== undefined) this.sendBody(stream);
  }

  /** As much of the request body as the windows allow; the rest waits for a WINDOW_UPDATE. */
  private sendBody(stream: H2Stream): void {
    let body = stream.body as Uint8Array;
    while (body.length > 0) {
      const size = Math.min(body.length, this.maxFrame, stream.sendWindow, this.connectionWindow);
      if (size <= 0) break;
      const last = size === body.length;
      this.link.write(frame(T.DATA, last ? F.END_STREAM : 0, stream.id, body, 0, size));
      stream.sendWindow -= size;
      this.connectionWindow -= size;
      body = body.subarray(size);
    }
    stream.body = body.length > 0 ? body : undefined;
  }

  private data(flags: number, id: number, bytes: Uint8Array, start: number, end: number): void {
    // Flow control counts the whole payload, padding included; our stream windows are 2^31-1, the
    // connection's is topped up each time half of it is used.
    this.received += end - start;
    if (this.received >= 2 ** 30) {
      this.link.write(windowUpdate(0, this.received));
      this.received = 0;
    }
    const stream = this.open.get(id);
    if (stream?.response === undefined) return; // a stream we cancelled, or DATA before HEADERS
    // Padded: a length byte first, that many bytes of padding last.
    const pad = flags & F.PADDED && end > start ? (bytes[start] as number) : -1;
    // The socket's chunks are ours to keep (platform/tcp-socket.ts): the body keeps them, by offsets.
    if (pad >= 0) takeBody(stream.response, bytes, start + 1, Math.max(start + 1, end - pad), this.maxBodyBytes);
    else takeBody(stream.response, bytes, start, end, this.maxBodyBytes);
    if (flags & F.END_STREAM) this.complete(stream);
  }

  /** A complete header block (header-blocks.ts): the response's head, or the trailers. */
  private headers(block: HeaderBlock | string | undefined): void {
    if (block === undefined) return;
    if (typeof block === "string") return this.link.fail(block);
    const stream = this.open.get(block.stream);
    if (stream === undefined) return;
    if (stream.response === undefined) {
      const status = statusOf(block.fields);
      if (!(status >= 200 && status <= 999)) {
        if (status >= 100 && status < 200 && !block.endsStream) return; // interim (100, 103): the real one follows
        return this.link.fail(`a response without a valid :status (${String(status)})`);
      }
      stream.response = h2Response(status, block.fields);
    }
    // A second block is the trailers: nothing of it is kept, as over HTTP/1.1.
    if (block.endsStream) this.complete(stream);
  }

  private complete(stream: H2Stream): void {
    this.open.delete(stream.id);
    stream.call.responded(stream.response as RawResponse);
    this.afterEnd();
  }

  /** A stream ended without a response: sent again where the server did not process it, else a failure. */
  private ended(stream: H2Stream, unprocessed: boolean, error: HttpError): void {
    const call = stream.call;
    if (unprocessed && call.resent < MAX_RESENDS) {
      call.resent++;
      this.link.resend(call);
    } else call.failed(new ConnectionFailure(error, false));
  }

  private afterEnd(): void {
    this.startWaiting();
    if (this.open.size === 0 && this.waiting.length === 0) this.link.idle();
  }

  private startWaiting(): void {
    while (this.started && this.waiting.length > 0 && this.open.size < this.maxConcurrent) this.start(this.waiting.shift() as Call);
  }

  private setting(key: number, value: number): void {
    if (key === 3) this.maxConcurrent = value;
    else if (key === 4) {
      for (const stream of this.open.values()) stream.sendWindow += value - this.initialWindow;
      this.initialWindow = value;
    } else if (key === 5) this.maxFrame = value;
  }
}
