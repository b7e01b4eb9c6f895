// The DEALER's options and callbacks, their defaults, and the checks that must happen before
// any timer runs (a bad port thrown inside a timer would crash the worker).
import type { Logger } from "../log.ts";
import { DEFAULT_MAX_FRAME_BYTES } from "./zmtp.ts";

export interface DealerOptions {
  host: string;
  port: number;
  /** ZMQ routing id; Locust's master keys workers by it, so it never changes across reconnects. */
  identity: string;
  /** Largest frame (and multipart message) accepted from the master; default 16 MiB. */
  maxFrameBytes?: number;
  /** First reconnect delay, and the pause reconnect() takes; default 100 ms. */
  reconnectMinMs?: number;
  /** Cap of the exponential reconnect delay; default 5000 ms. */
  reconnectMaxMs?: number;
  /** Time from starting the TCP connect to the master's READY; default 5000 ms. */
  handshakeTimeoutMs?: number;
  /** Messages kept while not connected; beyond it the oldest are dropped. Default 10000. */
  maxQueued?: number;
  log?: Logger;
}

export interface DealerHandlers {
  /** One message from the master: its frames, without routing envelope. Exceptions are logged. */
  onMessage(frames: Uint8Array[]): void;
  /** The handshake finished (after start() or any reconnect); queued messages are already written. */
  onConnected?(): void;
  /** A connection or connection attempt ended; called once per failed attempt while the master is away. */
  onDisconnected?(reason: string): void;
}

export type ResolvedDealerOptions = Required<
  Pick<DealerOptions, "maxFrameBytes" | "reconnectMinMs" | "reconnectMaxMs" | "handshakeTimeoutMs" | "maxQueued">
>;

/** Throws RangeError for a port outside 1-65535 or an identity that cannot be a ZMQ routing id. */
export function resolveDealerOptions(options: DealerOptions): ResolvedDealerOptions {
  const id = new TextEncoder().encode(options.identity);
  if (id.length === 0 || id.length > 255 || id[0] === 0) {
    throw new RangeError("identity must be 1-255 bytes of UTF-8 and must not start with a NUL byte (libzmq reserves those)");
  }
  // createConnection() throws on a bad port, and it runs inside timers where that would crash us.
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError(`master port must be an integer from 1 to 65535, not ${options.port}`);
  }
  const reconnectMinMs = options.reconnectMinMs ?? 100;
  return {
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    reconnectMinMs,
    reconnectMaxMs: Math.max(reconnectMinMs, options.reconnectMaxMs ?? 5000),
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5000,
    maxQueued: Math.max(1, options.maxQueued ?? 10_000),
  };
}
