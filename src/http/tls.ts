// A TLS byte socket on node:tls, under every runtime (platform/tcp-socket.ts has the plain TCP one): the
// HTTP/1.1 and WebSocket clients' https:// and wss:// connections. Not the hot path measured.
import type { ByteSocket, ByteSocketEvents } from "../platform/tcp-socket.ts";

/** Where a TLS byte socket goes and how it checks the peer (ALPN offers http/1.1 only). */
export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** SNI and the name the certificate must carry (none for an IP address). */
  readonly servername: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/** A TLS connection (node:tls under every runtime) with Nagle off, for the HTTP/1.1 and WebSocket clients. */
export function connectTls(target: TlsTarget, events: ByteSocketEvents): ByteSocket {
  // node:tls is loaded on the first TLS connection: imported, it costs every worker RSS.
  const socket = process.getBuiltinModule("node:tls").connect({ ...target, ALPNProtocols: ["http/1.1"] });
  socket.setNoDelay(true);
  socket.on("data", (chunk: Uint8Array) => events.data(chunk));
  socket.on("end", () => events.end());
  socket.on("close", () => events.end());
  socket.on("error", (error: unknown) => events.error(error));
  return {
    write: (bytes) => void socket.write(bytes),
    get pending() {
      return socket.writableLength;
    },
    destroy: () => void socket.destroy(),
  };
}
