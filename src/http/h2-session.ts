// One HTTP/2 connection to one origin for one client (= one simulated user), on node:http2: every
// call of the user to that origin is a stream on it, so `Promise.all` of 10 calls is 10 streams on
// one connection. Over TLS the protocol is chosen by ALPN (h2, else HTTP/1.1: the session tells
// its owner, which sends the calls on its HTTP/1.1 pool from then on); cleartext is h2c with
// prior knowledge. Nothing is lost silently: a stream the server did not process (GOAWAY past it,
// REFUSED_STREAM) is sent again (after a GOAWAY, on a fresh connection); any other end without a
// response is a recorded failure. One timer per session watches the deadlines.
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from "node:http2";
import type { TLSSocket } from "node:tls";
import { clearTimeout, setTimeout } from "node:timers";
import type { Call } from "./call.ts";
import { ConnectionFailure, HttpError, networkError } from "./errors.ts";
import { h2RequestHeaders, h2Response, takeBody } from "./h2-headers.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Origin } from "./request.ts";

export interface H2Settings {
  readonly maxBodyBytes: number;
  readonly rejectUnauthorized: boolean;
}

/** What a session tells the client's endpoint (connect.ts). */
export interface H2Owner {
  /** No new stream may start on this session (GOAWAY, closed): the next call opens another. */
  forget(session: H2Session): void;
  /** ALPN chose HTTP/1.1: these calls (and the origin's later ones) go to the HTTP/1.1 pool. */
  fallBack(origin: Origin, calls: Call[]): void;
  /** Sends a call the server did not process on a fresh session. */
  resend(call: Call): void;
}

const REFUSED_STREAM = 7;
const CANCEL = 8;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A stream the server did not process is safe to send again, whatever its method (RFC 9113 §8.7); bounded, for a server that refuses all. */
const MAX_RESENDS = 10;

interface InFlight {
  readonly stream: ClientHttp2Stream;
  response: RawResponse | undefined;
}

export class H2Session {
  dead = false;
  private session: ClientHttp2Session | undefined;
  private waiting: Call[] = []; // calls sent before the connection is up
  private readonly inFlight = new Map<Call, InFlight>();
  private lastProcessed = Infinity; // GOAWAY's last stream id: streams above it were not processed
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;

  constructor(
    readonly origin: Origin,
    private readonly settings: H2Settings,
    private readonly owner: H2Owner,
  ) {
    const http2 = process.getBuiltinModule("node:http2"); // loaded by the first HTTP/2 call
    if (!origin.tls) this.open(http2.connect(`http://${origin.authority}`));
    else {
      const socket = process.getBuiltinModule("node:tls").connect({
        host: origin.host,
        port: origin.port,
        servername: origin.servername,
        rejectUnauthorized: settings.rejectUnauthorized,
        ALPNProtocols: ["h2", "http/1.1"],
      });
      socket.once("secureConnect", () => this.negotiated(socket));
      socket.once("error", (error: unknown) => this.failAll(networkError(error, origin.authority)));
    }
  }

  /** Sends the call's hop as a stream (or once the connection is up). */
  send(call: Call): void {
    this.watch(call.deadline);
    if (this.session === undefined) this.waiting.push(call);
    else this.start(call, this.session);
  }

  /** Closes the connection; calls in flight end with `reason` (the user was stopped, the client closed). */
  destroy(reason: unknown): void {
    const calls = [...this.waiting, ...this.inFlight.keys()];
    this.waiting = [];
    this.inFlight.clear();
    this.close();
    for (const call of calls) call.failed(reason);
  }

  private negotiated(socket: TLSSocket): void {
    if (this.dead) return void socket.destroy();
    if (socket.alpnProtocol !== "h2") {
      // The server does not speak HTTP/2: one handshake spent, then HTTP/1.1 as without the option.
      const calls = this.waiting;
      this.waiting = [];
      this.close();
      socket.destroy();
      return this.owner.fallBack(this.origin, calls);
    }
    const http2 = process.getBuiltinModule("node:http2");
    this.open(http2.connect(`https://${this.origin.authority}`, { createConnection: () => socket }));
  }

  private open(session: ClientHttp2Session): void {
    this.session = session;
    session.on("goaway", (_code: number, lastStreamId: number) => {
      this.lastProcessed = lastStreamId;
      this.drain();
    });
    session.on("error", (error: unknown) => this.failAll(networkError(error, this.origin.authority)));
    session.on("close", () => this.failAll(new HttpError("ECONNRESET", `${this.origin.authority} closed the HTTP/2 connection`)));
    session.once("connect", () => {
      const waiting = this.waiting;
      this.waiting = [];
      for (const call of waiting) this.start(call, session);
    });
  }

  private start(call: Call, session: ClientHttp2Session): void {
    const hop = call.hop;
    const body = hop.body;
    let stream: ClientHttp2Stream;
    try {
      stream = session.request(h2RequestHeaders(hop, call.wire), { endStream: body === undefined || body.length === 0 });
    } catch (error) {
      // The session is closing (a GOAWAY we have not heard yet): the stream never left. Anything
      // else is a request node:http2 will not send (a programming error): the call rejects.
      if (!(session.closed || session.destroyed) || call.resent >= MAX_RESENDS) return call.failed(error);
      call.resent++;
      this.drain();
      return this.owner.resend(call);
    }
    const flight: InFlight = { stream, response: undefined };
    this.inFlight.set(call, flight);
    if (body !== undefined && body.length > 0) stream.end(body);
    stream.on("response", (headers: IncomingHttpHeaders) => {
      // 1xx interim responses come as "headers" events, never here.
      flight.response = h2Response(headers);
    });
    stream.on("data", (chunk: Uint8Array) => {
      if (flight.response !== undefined) takeBody(flight.response, chunk, this.settings.maxBodyBytes);
    });
    stream.on("end", () => this.ended(call, flight));
    stream.on("close", () => this.closed(call, flight));
    stream.on("error", () => {}); // "close" follows and says how it ended
  }

  private ended(call: Call, flight: InFlight): void {
    if (this.inFlight.get(call) !== flight || flight.response === undefined) return;
    this.inFlight.delete(call);
    if (this.dead && this.inFlight.size === 0) this.close();
    call.responded(flight.response);
  }

  /** A stream closed before its end: not processed (resend), or a failure naming the reset. */
  private closed(call: Call, flight: InFlight): void {
    if (this.inFlight.get(call) !== flight) return;
    this.inFlight.delete(call);
    if (this.dead && this.inFlight.size === 0 && this.waiting.length === 0) this.close();
    const stream = flight.stream;
    const unprocessed = stream.rstCode === REFUSED_STREAM || (stream.id ?? Infinity) > this.lastProcessed || stream.id === undefined;
    if (unprocessed && call.resent < MAX_RESENDS) {
      call.resent++;
      return this.owner.resend(call);
    }
    const why = stream.rstCode
      ? `${this.origin.authority} reset the HTTP/2 stream (RST_STREAM code ${stream.rstCode}) before the response was complete`
      : `the HTTP/2 connection to ${this.origin.authority} closed before the response was complete`;
    call.failed(new ConnectionFailure(new HttpError("ECONNRESET", why), false));
  }

  /** The connection failed or closed: every call waiting or in flight ends (each by closed()'s rule). */
  private failAll(error: HttpError): void {
    this.drain();
    const waiting = this.waiting;
    this.waiting = [];
    for (const call of waiting) call.failed(new ConnectionFailure(error, false));
    for (const [call, flight] of [...this.inFlight]) {
      if (!flight.stream.closed) flight.stream.close(CANCEL);
      this.closed(call, flight);
    }
    if (this.inFlight.size === 0) this.close();
  }

  /** No new streams here; the ones in flight finish, then it closes. */
  drain(): void {
    if (!this.dead) {
      this.dead = true;
      this.owner.forget(this);
    }
    if (this.inFlight.size === 0 && this.waiting.length === 0) this.close();
  }

  private close(): void {
    this.dead = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.owner.forget(this);
    this.session?.destroy();
  }

  /** One timer for the session, at the earliest deadline; it re-arms itself for the next. */
  private watch(deadline: number): void {
    if (deadline >= this.timerAt) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(1, deadline - performance.now())));
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    const expired = (call: Call) => {
      if (call.deadline > now) next = Math.min(next, call.deadline);
      return call.deadline <= now;
    };
    const late = this.waiting.filter(expired);
    this.waiting = this.waiting.filter((call) => !late.includes(call));
    for (const [call, flight] of this.inFlight) {
      if (!expired(call)) continue;
      late.push(call);
      this.inFlight.delete(call); // first: the stream's "close" then finds nothing to report
      flight.stream.close(CANCEL);
    }
    for (const call of late) {
      const why = `request to ${this.origin.authority} timed out after ${call.timeoutMs} ms`;
      call.failed(new ConnectionFailure(new HttpError("ETIMEDOUT", why), false));
    }
    if (next !== Infinity) this.watch(next);
  };
}
