// The byte stream under a WebSocket: plain TCP through the platform adapter (Bun's native socket
// under Bun, node:net elsewhere), TLS on node:tls, as the HTTP client does.
import { connectTls } from "../http/tls.ts";
import { type ByteSocket, type ByteSocketEvents, connectTcp } from "../platform/tcp-socket.ts";
import type { Endpoint } from "./url.ts";

export function connectTransport(endpoint: Endpoint, rejectUnauthorized: boolean, events: ByteSocketEvents): ByteSocket {
  if (!endpoint.tls) return connectTcp(endpoint.host, endpoint.port, events);
  const { host, port, servername } = endpoint;
  return connectTls({ host, port, servername, rejectUnauthorized }, events);
}
