// A ZMTP 3.1 DEALER over node:net: what Locust's worker gets from pyzmq, minus the native addon
// (zeromq's addon crashes under Bun and cannot ride in a compiled binary).
import { createConnection, type Socket } from "node:net";
import { silentLogger, type Logger } from "../log.ts";
import { backoffDelay } from "./backoff.ts";
import { describeEnd, describeProtocolError, describeSocketError, describeTimeout } from "./reasons.ts";
import { type DealerHandlers, type DealerOptions, resolveDealerOptions } from "./dealer-options.ts";
import { ZmtpSession, type PeerInfo, type SessionEvent } from "./session.ts";
import { encodeFrame } from "./zmtp.ts";

/** Refused connections before the first one that are logged below warning (about 10 s at the default backoff). */
const STARTUP_ATTEMPTS = 8;

/** Locust (pyzmq) sets TCP_KEEPALIVE_IDLE=30 on both ends; we match it. */
const KEEPALIVE_MS = 30_000;
/** close() waits at most this long for queued bytes to reach the kernel and the peer to hang up. */
const CLOSE_TIMEOUT_MS = 1000;

export class DealerSocket {
  private readonly where: string;
  private readonly log: Logger;
  private readonly maxFrameBytes: number;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly handshakeMs: number;
  private readonly maxQueued: number;
  private socket: Socket | undefined;
  private tcpConnected = false;
  private ready = false;
  private queue: Uint8Array[] = [];
  private dropWarned = false;
  private attempt = 0;
  private lastFailure: string | undefined;
  private everConnected = false;
  private started = false;
  private closing: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Sockets left by reconnect() that are still flushing; close() destroys them. */
  private readonly lingering = new Set<Socket>();

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
    this.maxMs = resolved.reconnectMaxMs;
    this.handshakeMs = resolved.handshakeTimeoutMs;
    this.maxQueued = resolved.maxQueued;
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
    this.queue.push(bytes);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      if (!this.dropWarned) {
        this.dropWarned = true;
        this.log.warn(`not connected to ${this.where} and ${this.maxQueued} messages are queued: dropping the oldest`);
      }
    }
  }

  /** Drops the connection (flushing what was written) and connects again with the same identity. */
  reconnect(reason: string): void {
    if (this.closing) return;
    this.started = true;
    this.log.info(`reconnecting to ${this.where}: ${reason}`);
    const socket = this.detach();
    if (socket) {
      this.linger(socket);
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
        for (const s of this.lingering) s.destroy();
        this.lingering.clear();
        resolve();
      };
      const deadline = setTimeout(finish, CLOSE_TIMEOUT_MS);
      if (!socket) return finish();
      socket.once("close", finish);
      if (this.ready) socket.end();
      // Still handshaking with nothing to flush: nothing is worth waiting for.
      else if (this.queue.length === 0) finish();
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
    this.attempt = 0;
    this.lastFailure = undefined;
    const verb = this.everConnected ? "reconnected" : "connected";
    this.everConnected = true;
    this.log.info(`${verb} to ${this.where} (ZMTP ${peer.version}, ${peer.socketType})`);
    for (const bytes of this.queue) socket.write(bytes);
    this.queue = [];
    this.dropWarned = false;
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
    const delay = backoffDelay(this.attempt++, this.minMs, this.maxMs);
    this.log[this.levelOf(reason)](`${reason}; reconnecting in ${delay} ms`);
    this.notifyDisconnected(reason);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Repeats are debug; a refused first connection is info for a while (the master may be starting). */
  private levelOf(reason: string): "debug" | "info" | "warn" {
    if (!this.everConnected && this.attempt < STARTUP_ATTEMPTS && reason.startsWith("connection refused")) {
      return this.attempt === 1 ? "info" : "debug";
    }
    const repeat = reason === this.lastFailure;
    this.lastFailure = reason;
    return repeat ? "debug" : "warn";
  }

  private detach(): Socket | undefined {
    const socket = this.socket;
    clearTimeout(this.handshakeTimer);
    this.socket = undefined;
    this.ready = false;
    this.tcpConnected = false;
    return socket;
  }

  /** Lets a dropped socket flush what was written to it, but never for more than CLOSE_TIMEOUT_MS. */
  private linger(socket: Socket): void {
    this.lingering.add(socket);
    const timer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
    socket.once("close", () => {
      clearTimeout(timer);
      this.lingering.delete(socket);
    });
    socket.end();
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
