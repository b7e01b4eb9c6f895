// One HTTP/2 connection to one origin for one client (= one simulated user), framed here (RFC 9113):
// every call of the user to that origin is a stream on it. Over TLS the protocol is chosen by ALPN
// (h2, else HTTP/1.1: the owner sends the calls on its HTTP/1.1 pool from then on); cleartext is
// h2c with prior knowledge. Nothing is lost silently: a stream the server did not process (GOAWAY
// past it, REFUSED_STREAM) is sent again, after a GOAWAY on a fresh connection; any other end
// without a response is a recorded failure. One timer per connection watches the deadlines.
// Our own framer rather than node:http2: under Bun that cost 35–50 µs of CPU a request (docs/http2.md).
import { clearTimeout, setTimeout } from "node:timers";
import { type ByteSocket, type ByteSocketEvents, connectTcp } from "../../platform/tcp-socket.ts";
import type { Call } from "../call.ts";
import { ConnectionFailure, HttpError, networkError } from "../errors.ts";
import { connectTls } from "../tls.ts";
import type { Origin } from "../request.ts";
import { FrameReader, frame, goaway, type OnFrame, PREFACE, rstStream, T, windowUpdate } from "./frames.ts";
import type { H2Stream } from "./stream.ts";
import { Streams } from "./streams.ts";

export interface H2Settings {
  readonly maxBodyBytes: number;
  readonly rejectUnauthorized: boolean;
}

/** What a session tells the client's HTTP/2 connections (sessions.ts). */
export interface H2Owner {
  /** No new stream may start on this session (GOAWAY, closed): the next call opens another. */
  forget(session: H2Session): void;
  /** ALPN chose HTTP/1.1: these calls (and the origin's later ones) go to the HTTP/1.1 pool. */
  fallBack(origin: Origin, calls: Call[]): void;
  /** Sends a call the server did not process again (on a fresh session after a GOAWAY). */
  resend(call: Call): void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class H2Session implements ByteSocketEvents {
  dead = false;
  private socket: ByteSocket | undefined; // once the preface may go out (over TLS: after the handshake)
  private tls: ByteSocket | undefined; // over TLS, the socket from the start: closed even mid-handshake
  private connected = false; // the preface went out: a later failure is not a refused connection
  private readonly reader = new FrameReader();
  private readonly streams: Streams;
  private out: Uint8Array[] = [];
  private flushing = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;

  constructor(
    readonly origin: Origin,
    settings: H2Settings,
    private readonly owner: H2Owner,
  ) {
    this.streams = new Streams(origin, settings.maxBodyBytes, {
      write: (bytes) => this.write(bytes),
      resend: (call) => owner.resend(call),
      drain: () => this.drain(),
      fail: (why) => this.failAll(new HttpError("EPROTO", why), goaway(0, 1)),
      idle: () => {
        if (this.dead) this.close();
      },
    });
    if (!origin.tls) {
      this.socket = connectTcp(origin.host, origin.port, this);
      this.start();
      return;
    }
    const { host, port, servername } = origin;
    const target = { host, port, servername, rejectUnauthorized: settings.rejectUnauthorized, alpn: ["h2", "http/1.1"] };
    const socket = connectTls(target, this, (alpn) => {
      if (this.dead) return void socket.destroy();
      this.socket = socket;
      if (alpn === "h2") return this.start();
      // The server does not speak HTTP/2: one handshake spent, then HTTP/1.1 as without the option.
      const calls = this.streams.takeWaiting();
      this.close();
      this.owner.fallBack(this.origin, calls);
    });
    this.tls = socket;
  }

  /** Sends the call's hop as a stream (or once the connection is up and a stream is free). */
  send(call: Call): void {
    this.watch(call.deadline);
    this.streams.send(call);
  }

  /** Closes the connection; calls in flight end with `reason` (the user was stopped, the client closed). */
  destroy(reason: unknown): void {
    const calls = this.streams.takeAll();
    this.close();
    for (const call of calls) call.failed(reason);
  }

  /** No new streams here; the ones in flight finish, then it closes. Calls not yet sent go to a fresh one. */
  drain(): void {
    if (!this.dead) {
      this.dead = true;
      this.owner.forget(this);
    }
    for (const call of this.streams.takeWaiting()) this.owner.resend(call);
    if (this.streams.size === 0) this.close();
  }

  /** @internal ByteSocketEvents */
  data(chunk: Uint8Array): void {
    if (this.dead && this.socket === undefined) return;
    const error = this.reader.push(chunk, this.onFrame);
    if (error !== undefined) this.failAll(new HttpError("EPROTO", this.notHttp2(error)), goaway(0, 1));
  }

  private notHttp2(error: string): string {
    const http1 = this.reader.http1Answer;
    if (http1 === undefined) return `invalid HTTP/2 from ${this.origin.authority}: ${error}`;
    const how = this.origin.tls ? "" : " (h2c prior knowledge)";
    const fix = this.origin.tls ? "" : ': drop http2: "h2c" or point it at an h2c server';
    return `${this.origin.authority} answered in HTTP/1 ("${http1}"), not HTTP/2${how}${fix}`;
  }

  private readonly onFrame: OnFrame = (type, flags, id, bytes, start, end) => this.streams.frame(type, flags, id, bytes, start, end);

  /** @internal */
  end(): void {
    this.failAll(new HttpError("ECONNRESET", `${this.origin.authority} closed the HTTP/2 connection`));
  }

  /** @internal */
  error(error: unknown): void {
    this.failAll(networkError(error, this.origin.authority));
  }

  private start(): void {
    this.connected = true;
    // Our SETTINGS: no server push, stream windows as large as allowed (a response never waits
    // for a WINDOW_UPDATE of ours); the connection window raised to match.
    this.write(PREFACE);
    this.write(frame(T.SETTINGS, 0, 0, Uint8Array.of(0, 2, 0, 0, 0, 0, 0, 4, 0x7f, 0xff, 0xff, 0xff)));
    this.write(windowUpdate(0, 0x7fffffff - 65535));
    this.streams.ready();
  }

  /**
   * The first frame of a turn goes out at once (one call in flight: no wait for a microtask); the
   * frames written after it in the same turn go out together in one write.
   */
  private write(bytes: Uint8Array): void {
    if (this.flushing) return void this.out.push(bytes);
    this.flushing = true;
    queueMicrotask(this.flush);
    if (this.socket !== undefined && this.out.length === 0) this.socket.write(bytes);
    else this.out.push(bytes);
  }

  private readonly flush = (): void => {
    this.flushing = false;
    const out = this.out;
    if (out.length === 0 || this.socket === undefined) return;
    this.out = [];
    if (out.length === 1) return this.socket.write(out[0] as Uint8Array);
    let length = 0;
    for (const bytes of out) length += bytes.length;
    const joined = new Uint8Array(length);
    let at = 0;
    for (const bytes of out) {
      joined.set(bytes, at);
      at += bytes.length;
    }
    this.socket.write(joined);
  };

  /** The connection failed or closed: each call waiting or in flight ends by the streams' rule (resent or failed). */
  private failAll(error: HttpError, last?: Uint8Array): void {
    if (last !== undefined) {
      this.write(last);
      this.flush();
    }
    if (!this.dead) {
      this.dead = true;
      this.owner.forget(this);
    }
    const waiting = this.streams.takeWaiting();
    this.streams.lost(error);
    this.close();
    // Never sent: on a connection that worked, a fresh one may take them; a refused connection fails them.
    for (const call of waiting) {
      if (this.connected && call.resent < 10) {
        call.resent++;
        this.owner.resend(call);
      } else call.failed(new ConnectionFailure(error, false));
    }
  }

  private close(): void {
    this.dead = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    this.owner.forget(this);
    const socket = this.socket ?? this.tls;
    this.socket = this.tls = undefined;
    socket?.destroy();
  }

  /** One timer for the connection, at the earliest deadline; it re-arms itself for the next. */
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
    const next = this.streams.expire(performance.now(), (stream: H2Stream | undefined, call: Call) => {
      if (stream !== undefined) this.write(rstStream(stream.id, 8)); // CANCEL
      const why = `request to ${this.origin.authority} timed out after ${call.timeoutMs} ms`;
      call.failed(new ConnectionFailure(new HttpError("ETIMEDOUT", why), false));
    });
    if (next !== Infinity) this.watch(next);
  };
}
