// One object per socket (undici's shape): it writes one request at a time, feeds the parser, and
// watches the deadline with a single timer that is only re-armed when it fires early. Over plain
// TCP the connection is the platform's socket itself (TcpSocket): no wrapper object in between.
import { clearTimeout, setTimeout } from "node:timers";
import { type ByteSocket, TcpSocket } from "../platform/tcp-socket.ts";
import { connectTls } from "./tls.ts";
import { ConnectionFailure, HttpError, networkError } from "./errors.ts";
import { FAILED, NEED_MORE, ResponseParser } from "./parser.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Origin } from "./request.ts";

/** What a connection tells its pool. */
export interface ConnectionOwner {
  /** The response completed and the socket may carry another request. */
  release(connection: Connection): void;
  /** The socket is gone. */
  forget(connection: Connection): void;
}

/** Who waits for the response to a request written on a connection (a call; retry.ts's promise). */
export interface ResponseWaiter {
  /** The response; the connection is already back in its pool, or destroyed. */
  responded(response: RawResponse): void;
  /** A ConnectionFailure on network trouble, or the reason given to destroy(). */
  failed(reason: unknown): void;
}

export interface ConnectionSettings {
  readonly maxBodyBytes: number;
  readonly rejectUnauthorized: boolean;
}

type Timer = ReturnType<typeof setTimeout>;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Connection extends TcpSocket {
  /** The socket closed or failed; never hand it out again. */
  dead = false;
  /** Responses completed on this socket: above 0 it is a reused keep-alive connection. */
  served = 0;
  private readonly tls: ByteSocket | undefined; // over TLS, node:tls's socket; else this is the socket
  private readonly parser: ResponseParser;
  private busy = false;
  private gotBytes = false;
  private waiter: ResponseWaiter | null = null;
  private deadline = 0;
  private timeoutMs = 0;
  private timer: Timer | null = null;
  private timerAt = 0;

  constructor(
    private readonly origin: Origin,
    private readonly owner: ConnectionOwner,
    settings: ConnectionSettings,
  ) {
    super();
    this.parser = new ResponseParser(settings.maxBodyBytes);
    // Plain TCP through the platform adapter (Bun's native socket under Bun); TLS on node:tls.
    // The connection itself takes the socket's events: no closures per socket.
    if (origin.tls) {
      const { host, port, servername } = origin;
      this.tls = connectTls({ host, port, servername, rejectUnauthorized: settings.rejectUnauthorized }, this);
    } else {
      this.tls = undefined;
      this.connectTcp(origin.host, origin.port);
    }
  }

  /**
   * Writes one request; `waiter` hears of its response, of a ConnectionFailure on network
   * trouble, or of the reason given to destroy() (the user was stopped). It is told from within
   * the socket's event, after this connection is done with it: no promise per request here.
   */
  send(wire: Uint8Array, noResponseBody: boolean, deadline: number, timeoutMs: number, waiter: ResponseWaiter): void {
    this.busy = true;
    this.gotBytes = false;
    this.waiter = waiter;
    this.timeoutMs = timeoutMs;
    this.parser.begin(noResponseBody);
    this.arm(deadline);
    if (this.tls === undefined) this.writeTcp(wire);
    else this.tls.write(wire);
  }

  /** Closes the socket; an in-flight request fails with `reason` when given. */
  destroy(reason?: unknown): void {
    const waiter = this.busy && reason !== undefined ? this.waiter : null;
    if (waiter !== null) this.idle();
    if (!this.dead) {
      this.dead = true;
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.owner.forget(this);
      if (this.tls === undefined) this.destroyTcp();
      else this.tls.destroy();
    }
    waiter?.failed(reason); // last: the waiter may open another connection at once
  }

  /** @internal The socket's events (ByteSocketEvents). */
  data(chunk: Uint8Array): void {
    // Bytes nobody asked for leave the stream in an unknown state: drop the socket.
    if (!this.busy) return this.destroy();
    this.gotBytes = true;
    const end = this.parser.execute(chunk);
    if (end === NEED_MORE) return;
    if (end === FAILED) {
      const why = `invalid HTTP response from ${this.origin.authority}: ${this.parser.error}`;
      return this.fail(new HttpError("EPROTO", why), false);
    }
    const response = this.parser.response as RawResponse;
    if (end < chunk.length) response.keepAlive = false; // we never pipeline, so extra bytes are garbage
    this.complete(response);
  }

  /** @internal */
  end(): void {
    if (this.busy) {
      if (this.parser.finishOnEof()) this.complete(this.parser.response as RawResponse);
      else {
        const why = `${this.origin.authority} closed the connection before the response was complete`;
        // A keep-alive socket the server closed before answering is the classic stale-socket race.
        this.fail(new HttpError("ECONNRESET", why), this.served > 0 && !this.gotBytes);
      }
    }
    this.destroy();
  }

  /** @internal */
  error(error: unknown): void {
    if (this.busy) this.fail(networkError(error, this.origin.authority), this.served > 0 && !this.gotBytes);
    this.destroy();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (!this.busy) return;
    if (performance.now() < this.deadline) return this.arm(this.deadline);
    const why = `request to ${this.origin.authority} timed out after ${this.timeoutMs} ms`;
    this.fail(new HttpError("ETIMEDOUT", why), false);
  };

  private complete(response: RawResponse): void {
    const waiter = this.waiter as ResponseWaiter;
    this.idle();
    this.served++;
    // A server may answer (413, say) before our body is all written; the rest would be garbage to it.
    const pending = this.tls === undefined ? this.tcpPending : this.tls.pending;
    if (response.keepAlive && !this.dead && pending === 0) this.owner.release(this);
    else this.destroy();
    waiter.responded(response); // last: a redirect may send its next hop on this very connection
  }

  private fail(error: HttpError, retryable: boolean): void {
    const waiter = this.waiter as ResponseWaiter;
    this.idle();
    this.destroy();
    waiter.failed(new ConnectionFailure(error, retryable));
  }

  private idle(): void {
    this.busy = false;
    this.waiter = null;
    this.parser.release(); // an idle keep-alive socket must not hold the last response's bytes
  }

  /** Deadlines are real time (performance.now), whatever clock the client reports latency with. */
  private arm(deadline: number): void {
    this.deadline = deadline;
    if (deadline === Infinity) return; // no timeout: no timer (a running one finds busy and re-arms nothing)
    // A timer that fires no later than the deadline is kept: onTimer re-arms it for the rest.
    if (this.timer !== null) {
      if (this.timerAt <= deadline) return;
      clearTimeout(this.timer);
    }
    this.timerAt = deadline;
    // setTimeout fires at once past 2^31-1 ms; a capped timer re-arms itself for the rest.
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(1, deadline - performance.now())));
    this.timer.unref();
  }
}
