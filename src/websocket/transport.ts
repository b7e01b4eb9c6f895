// The byte stream under a WebSocket: plain TCP through the platform adapter (Bun's native socket
// under Bun, node:net elsewhere), TLS on node:tls, as the HTTP client does.
import { type ByteSocket, type ByteSocketEvents, connectTcp } from "../platform.ts";
import type { Endpoint } from "./url.ts";

export function connectTransport(endpoint: Endpoint, rejectUnauthorized: boolean, events: ByteSocketEvents): ByteSocket {
  if (!endpoint.tls) return connectTcp(endpoint.host, endpoint.port, events);
  // node:tls is loaded on the first wss connection: imported, it costs every worker RSS.
  const socket = process.getBuiltinModule("node:tls").connect({
    host: endpoint.host,
    port: endpoint.port,
    servername: endpoint.servername,
    rejectUnauthorized,
    ALPNProtocols: ["http/1.1"],
  });
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
