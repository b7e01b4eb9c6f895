// A plain TCP byte socket for the HTTP client (TcpSocket): under Bun, Bun.connect's native
// socket; elsewhere (Deno) node:net. TLS stays on node:tls in both (http/tls.ts): it is not the
// hot path measured.
import { AsyncLocalStorage } from "node:async_hooks";
import { connect as netConnect, type Socket as NodeSocket } from "node:net";
import { setTimeout } from "node:timers";
import { bun } from "./bun.ts";

export interface ByteSocketEvents {
  /** Bytes from the peer. The chunk is the receiver's to keep. */
  data(chunk: Uint8Array): void;
  /** The peer closed, or the socket closed for any reason; may come more than once. */
  end(): void;
  /** Connecting or the connection failed; `end` follows. */
  error(error: unknown): void;
}

export interface ByteSocket {
  /** Writes all of `bytes`, in order; what the kernel does not take at once is sent on drain. */
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet handed to the kernel. */
  readonly pending: number;
  /** Closes now (a reset where the runtime does so); no event after this. For failures, timeouts and kills. */
  destroy(): void;
  /** Closes gracefully: what was written goes out, then FIN; destroyed if the peer has not closed within 2 s. No event after this. */
  close(): void;
}

/** Closing gracefully: how long the peer has to close its side before the socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * What this file uses of Bun's native socket (a Bun.Socket fits it), by structure: `opened` is in
 * the package's .d.ts, and a user's tsc without skipLibCheck has no bun-types to read `Bun.` with.
 */
interface BunSocket {
  write(bytes: Uint8Array): number;
  end(): void;
  terminate(): void;
  setNoDelay(on: boolean): boolean;
}

/** A TCP connection to host:port with Nagle off (requests are small and latency is measured). */
export function connectTcp(host: string, port: number, events: ByteSocketEvents): ByteSocket {
  return new ForwardingTcp(host, port, events);
}

// One handler object for every socket (each socket's TcpSocket is its `data`): per-socket closures
// were a tenth of an idle user's heap.
const BUN_HANDLERS: Bun.SocketHandler<TcpSocket> = {
  open: (socket) => socket.data.opened(socket),
  data: (socket, chunk) => socket.data.received(chunk),
  drain: (socket) => socket.data.flush(),
  end: (socket) => socket.data.ended(),
  close: (socket) => socket.data.ended(),
  error: (socket, error) => socket.data.failed(error),
  connectError: (socket, error) => socket.data.failed(error),
};

// Bun wraps each of a socket's handlers in the async context it is opened in: 8 frames per
// socket, most of an idle user's async-context cost. The handlers hand bytes to the connection,
// whose awaiting caller resumes in its own context anyway, and the client records a response
// under the task its call started in (HttpClientOptions.user), not the current one: open outside any.
const outsideAsyncContext = AsyncLocalStorage.snapshot();

/**
 * A plain TCP socket that is its own events' receiver: a subclass implements `data`, `end` and
 * `error`, and under Bun the native socket hands them to it directly (Bun.connect's native socket:
 * a write is a syscall, a read a callback; no Node-stream emulation, which cost ~10% of a
 * request's CPU in node:net); elsewhere (Deno) node:net. The HTTP/1.1 connection is one: at
 * 1,000 users a wrapper between the socket and the connection was one more object to load on
 * every read and write (bench/NOTES.md). Nothing is delivered after `destroyTcp`.
 */
export abstract class TcpSocket implements ByteSocketEvents {
  private bunSocket: BunSocket | undefined;
  private nodeSocket: NodeSocket | undefined;
  private queue: Uint8Array[] | undefined; // Bun: written before the connection opened, or not taken by the kernel
  private queued = 0;
  private closed = false;
  private ending = false; // closeTcp() came while bytes were queued: FIN once they are out

  abstract data(chunk: Uint8Array): void;
  abstract end(): void;
  abstract error(error: unknown): void;

  /** Connects; writes before the connection opens are queued. Call once, from the subclass's constructor. */
  protected connectTcp(host: string, port: number): void {
    if (bun && !process.env.LOADWORKER_NODE_NET) {
      const runtime = bun;
      outsideAsyncContext(() =>
        runtime.connect({ hostname: host, port, data: this, socket: BUN_HANDLERS }).catch((error: unknown) => this.failed(error)),
      );
      return;
    }
    const socket = netConnect({ host, port });
    this.nodeSocket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => this.received(chunk));
    socket.on("end", () => this.ended());
    socket.on("close", () => this.ended());
    socket.on("error", (error: unknown) => this.failed(error));
  }

  /** Writes all of `bytes`, in order; what the kernel does not take at once is sent on drain. */
  protected writeTcp(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.nodeSocket !== undefined) return void this.nodeSocket.write(bytes);
    if (this.bunSocket === undefined || this.queued > 0) return this.enqueue(bytes);
    const sent = this.bunSocket.write(bytes);
    if (sent < bytes.length) this.enqueue(bytes.subarray(Math.max(0, sent)));
  }

  /** Bytes written but not yet handed to the kernel. */
  protected get tcpPending(): number {
    return this.nodeSocket !== undefined ? this.nodeSocket.writableLength : this.queued;
  }

  /** Closes now; no event after this. */
  protected destroyTcp(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = undefined;
    this.queued = 0;
    this.bunSocket?.terminate();
    this.nodeSocket?.destroy();
  }

  /** Closes gracefully (FIN after what was written), destroyed if the peer has not closed in 2 s; no event after this. */
  protected closeTcp(): void {
    if (this.closed) return;
    this.closed = true;
    const bunSocket = this.bunSocket;
    const nodeSocket = this.nodeSocket;
    if (bunSocket === undefined && nodeSocket === undefined) return; // not open yet: opened() terminates it
    if (nodeSocket !== undefined) nodeSocket.end();
    else if (this.queued === 0) bunSocket?.end();
    else this.ending = true;
    // A peer that never closes its side would hold the socket open for good.
    setTimeout(() => {
      this.queue = undefined;
      bunSocket?.terminate();
      nodeSocket?.destroy();
    }, CLOSE_GRACE_MS).unref();
  }

  /** @internal The socket's events, from BUN_HANDLERS or node:net. */
  opened(socket: BunSocket): void {
    if (this.closed) return socket.terminate();
    this.bunSocket = socket;
    socket.setNoDelay(true);
    this.flush();
  }

  /** @internal */
  received(chunk: Uint8Array): void {
    if (!this.closed) this.data(chunk);
  }

  /** @internal */
  flush(): void {
    const socket = this.bunSocket;
    const queue = this.queue;
    if (socket === undefined || queue === undefined) return;
    while (queue.length > 0) {
      const head = queue[0] as Uint8Array;
      const sent = socket.write(head);
      if (sent < 0) return; // closed: close/error follow
      this.queued -= Math.max(0, sent);
      if (sent < head.length) {
        queue[0] = head.subarray(sent);
        return; // the kernel is full: drain calls again
      }
      queue.shift();
    }
    if (this.ending) socket.end();
  }

  /** @internal */
  ended(): void {
    if (!this.closed) this.end();
  }

  /** @internal */
  failed(error: unknown): void {
    if (!this.closed) this.error(error);
  }

  private enqueue(bytes: Uint8Array): void {
    this.queue ??= [];
    this.queue.push(bytes);
    this.queued += bytes.length;
  }
}

/** A TcpSocket as a ByteSocket that hands its events on (HTTP/2 and WebSocket connections). */
class ForwardingTcp extends TcpSocket implements ByteSocket {
  constructor(
    host: string,
    port: number,
    private readonly events: ByteSocketEvents,
  ) {
    super();
    this.connectTcp(host, port);
  }
  data(chunk: Uint8Array): void {
    this.events.data(chunk);
  }
  end(): void {
    this.events.end();
  }
  error(error: unknown): void {
    this.events.error(error);
  }
  write(bytes: Uint8Array): void {
    this.writeTcp(bytes);
  }
  get pending(): number {
    return this.tcpPending;
  }
  destroy(): void {
    this.destroyTcp();
  }
  close(): void {
    this.closeTcp();
  }
}
