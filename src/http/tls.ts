// A TLS byte socket on node:tls, under every runtime (platform/tcp-socket.ts has the plain TCP one): the
// HTTP/1.1, HTTP/2 and WebSocket clients' https:// and wss:// connections. Not the hot path measured.
import { setTimeout } from "node:timers";
import type { ByteSocket, ByteSocketEvents } from "../platform/tcp-socket.ts";
import { tlsClosedError } from "./tls-hints.ts";

/** Where a TLS byte socket goes and how it checks the peer. */
export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** SNI and the name the certificate must carry (none for an IP address). */
  readonly servername: string | undefined;
  readonly rejectUnauthorized: boolean;
  /** What ALPN offers; default http/1.1 only. */
  readonly alpn?: string[];
}

// A server's close or reset before the handshake finished is the handshake failing (a plain
// server on the port, as often as not); under Bun it arrives as ERR_SOCKET_CLOSED, else ECONNRESET.
const CLOSED_CODES = new Set(["ERR_SOCKET_CLOSED", "ECONNRESET", "EPIPE"]);

/** Closing gracefully: how long the peer has to close its side before the socket is destroyed (as for TCP). */
const CLOSE_GRACE_MS = 2_000;

/**
 * A TLS connection (node:tls under every runtime) with Nagle off. `secured` hears the protocol
 * ALPN chose (false: none) once the handshake is done; a close before then is an `error` (ETLS).
 */
export function connectTls(target: TlsTarget, events: ByteSocketEvents, secured?: (alpn: string | false) => void): ByteSocket {
  // node:tls is loaded on the first TLS connection: imported, it costs every worker RSS.
  const { alpn, ...options } = target;
  const socket = process.getBuiltinModule("node:tls").connect({ ...options, ALPNProtocols: alpn ?? ["http/1.1"] });
  let handshaking = true;
  let done = false; // destroyed or closed by its owner: no events after that
  socket.setNoDelay(true);
  socket.once("secureConnect", () => {
    handshaking = false;
    if (!done) secured?.(socket.alpnProtocol ?? false);
  });
  socket.on("data", (chunk: Uint8Array) => done || events.data(chunk));
  const ended = () => {
    if (done) return;
    if (!handshaking) return events.end();
    handshaking = false;
    events.error(tlsClosedError());
  };
  socket.on("end", ended);
  socket.on("close", ended);
  socket.on("error", (error: unknown) => {
    if (done) return;
    const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
    const closed = handshaking && typeof code === "string" && CLOSED_CODES.has(code);
    handshaking = false;
    events.error(closed ? tlsClosedError(error) : error);
  });
  return {
    write: (bytes) => void socket.write(bytes),
    get pending() {
      return socket.writableLength;
    },
    destroy: () => {
      done = true;
      socket.destroy();
    },
    close: () => {
      done = true;
      socket.end(); // close_notify, then FIN once what was written is out
      setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
    },
  };
}
