// A ZMTP 3.1 DEALER over node:net: what Locust's worker gets from pyzmq, minus the native addon
// (zeromq's addon crashes under Bun and cannot ride in a compiled binary).
import { createConnection, type Socket } from "node:net";
import { silentLogger, type Logger } from "../log.ts";
import { ConnectAttempts } from "./attempts.ts";
import { describeEnd, describeProtocolError, describeSocketError, describeTimeout } from "./reasons.ts";
import { type DealerHandlers, type DealerOptions, resolveDealerOptions } from "./dealer-options.ts";
import { ZmtpSession, type PeerInfo, type SessionEvent } from "./session.ts";
import { LingeringSockets } from "./lingering.ts";
import { Outbox } from "./outbox.ts";
import { encodeFrame } from "./zmtp.ts";

/** Locust (pyzmq) sets TCP_KEEPALIVE_IDLE=30 on both ends; we match it. */
const KEEPALIVE_MS = 30_000;
/** close() waits at most this long for queued bytes to reach the kernel and the peer to hang up. */
const CLOSE_TIMEOUT_MS = 1000;

export class DealerSocket {
  private readonly where: string;
  private readonly log: Logger;
  private readonly maxFrameBytes: number;
  private readonly minMs: number;
  private readonly handshakeMs: number;
  private readonly attempts: ConnectAttempts;
  private readonly outbox: Outbox;
  private socket: Socket | undefined;
  private tcpConnected = false;
  private ready = false;
  private started = false;
  private closing: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Sockets left by reconnect() that are still flushing; close() destroys them. */
  private readonly lingering = new LingeringSockets(CLOSE_TIMEOUT_MS);

  /** Throws RangeError for a port outside 1-65535 or an identity that cannot be a ZMQ routing id. */
  constructor(
    private readonly options: DealerOptions,
    private readonly handlers: DealerHandlers,
  ) {
    const resolved = resolveDealerOptions(options);
    this.where = `master at ${options.host}:${options.port}`;
    this.log = options.log ?? silentLogger;
    this.maxFrameBytes = resolved.maxFrameBytes;
    this.minMs = resolved.reconnectMinMs;
    this.handshakeMs = resolved.handshakeTimeoutMs;
    this.attempts = new ConnectAttempts(resolved.reconnectMinMs, resolved.reconnectMaxMs);
    const max = resolved.maxQueued;
    this.outbox = new Outbox(max, () =>
      this.log.warn(`not connected to ${this.where} and ${max} messages are queued: dropping the oldest`),
    );
  }

  /** True once the ZMTP handshake with the master has finished. */
  get connected(): boolean {
    return this.ready;
  }

  /** Connects, and keeps reconnecting with backoff until close(). */
  start(): void {
    if (this.started || this.closing) return;
    this.started = true;
    this.connect();
  }

  /** Sends one single-frame message, or queues it (bounded, oldest dropped) until connected. */
  send(frame: Uint8Array): void {
    if (this.closing) {
      this.log.warn(`dropped a message sent after close() (${frame.length} bytes)`);
      return;
    }
    // Encoding now copies the payload, so the caller may reuse its buffer.
    const bytes = encodeFrame(frame);
    if (this.ready && this.socket) {
      this.socket.write(bytes);
      return;
    }
    this.outbox.push(bytes);
  }

  /** Drops the connection (flushing what was written) and connects again with the same identity. */
  reconnect(reason: string): void {
    if (this.closing) return;
    this.started = true;
    this.log.info(`reconnecting to ${this.where}: ${reason}`);
    const socket = this.detach();
    if (socket) {
      this.lingering.add(socket);
      this.notifyDisconnected(reason);
    }
    clearTimeout(this.retryTimer);
    // Wait one minimum backoff: the ROUTER must drop our old pipe before the identity reappears,
    // or it silently ignores the new connection (libzmq without ROUTER_HANDOVER).
    this.retryTimer = setTimeout(() => this.connect(), this.minMs);
  }

  /** No more reconnects; waits (at most ~1 s) for sent messages to be written, then closes. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      clearTimeout(this.retryTimer);
      const socket = this.socket;
      const finish = () => {
        clearTimeout(deadline);
        clearTimeout(this.handshakeTimer);
        this.detach()?.destroy();
        socket?.destroy();
        this.lingering.destroyAll();
        resolve();
      };
      const deadline = setTimeout(finish, CLOSE_TIMEOUT_MS);
      if (!socket) return finish();
      socket.once("close", finish);
      if (this.ready) socket.end();
      // Still handshaking with nothing to flush: nothing is worth waiting for.
      else if (this.outbox.size === 0) finish();
      // Otherwise onReady() flushes the queue and ends the socket.
    });
    return this.closing;
  }

  private connect(): void {
    this.retryTimer = undefined;
    if (this.closing) return;
    const session = new ZmtpSession({ identity: this.options.identity, maxFrameBytes: this.maxFrameBytes });
    const socket = createConnection({ host: this.options.host, port: this.options.port });
    this.socket = socket;
    this.tcpConnected = false;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_MS);
    this.handshakeTimer = setTimeout(
      () => this.fail(socket, describeTimeout(this.where, this.tcpConnected, this.handshakeMs)),
      this.handshakeMs,
    );
    socket.on("connect", () => {
      if (socket !== this.socket) return;
      this.tcpConnected = true;
      socket.write(session.opening());
    });
    socket.on("data", (chunk: Uint8Array) => this.onData(socket, session, chunk));
    socket.on("error", (error) => this.fail(socket, describeSocketError(this.where, this.options.host, error)));
    socket.on("end", () => this.fail(socket, describeEnd(this.where, session.handshakeDone)));
    socket.on("close", () => this.fail(socket, describeEnd(this.where, session.handshakeDone)));
  }

  private onData(socket: Socket, session: ZmtpSession, chunk: Uint8Array): void {
    if (socket !== this.socket) return;
    let events: SessionEvent[];
    try {
      events = session.feed(chunk);
    } catch (error) {
      this.fail(socket, describeProtocolError(this.where, error));
      return;
    }
    for (const event of events) {
      if (socket !== this.socket) return; // a handler called reconnect() or close()
      // Last, after the messages that arrived before the violation were handled.
      if (event.type === "error") return this.fail(socket, describeProtocolError(this.where, event.error));
      if (event.type === "write") socket.write(event.bytes);
      else if (event.type === "ready") this.onReady(socket, event.peer);
      else if (!this.closing) this.guard("onMessage", () => this.handlers.onMessage(event.frames));
    }
  }

  private onReady(socket: Socket, peer: PeerInfo): void {
    clearTimeout(this.handshakeTimer);
    this.ready = true;
    const verb = this.attempts.succeeded();
    this.log.info(`${verb} to ${this.where} (ZMTP ${peer.version}, ${peer.socketType})`);
    for (const bytes of this.outbox.drain()) socket.write(bytes);
    if (this.closing) socket.end();
    else this.guard("onConnected", () => this.handlers.onConnected?.());
  }

  /** Ends the current connection attempt: one log line, one onDisconnected, one scheduled retry. */
  private fail(socket: Socket, reason: string): void {
    if (socket !== this.socket) return; // stale event from a connection we already left
    this.detach();
    socket.destroy();
    if (this.closing) {
      this.log.debug(`while closing: ${reason}`);
      return;
    }
    const { delayMs, level, attempts } = this.attempts.failed(reason);
    this.log[level](`${reason}; reconnecting in ${delayMs} ms${attempts > 1 ? ` (${attempts} attempts failed in a row)` : ""}`);
    this.notifyDisconnected(reason);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delayMs);
  }

  private detach(): Socket | undefined {
    const socket = this.socket;
    clearTimeout(this.handshakeTimer);
    this.socket = undefined;
    this.ready = false;
    this.tcpConnected = false;
    return socket;
  }

  private notifyDisconnected(reason: string): void {
    this.guard("onDisconnected", () => this.handlers.onDisconnected?.(reason));
  }

  /** Handler exceptions are logged, never thrown into socket events where they would kill us. */
  private guard(name: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.log.error(`${name} handler threw; the socket keeps running`, error);
    }
  }
}
