// wss:// against Python's websockets over TLS (the HTTP tests' self-signed localhost certificate),
// and servers that never answer the handshake or answer it with something else.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { WebSocketError } from "../../src/websocket/index.ts";
import { ROOT } from "../support/procs.ts";
import { startPythonWs, type WsPeer, wsUser } from "../support/ws-peers.ts";

const fixture = (name: string) => join(ROOT, "test/http/fixtures", name);
let tls: WsPeer;
let plain: WsPeer; // no TLS on its port: it reads a ClientHello as a bad HTTP request and closes
beforeAll(async () => {
  [tls, plain] = await Promise.all([startPythonWs({ tls: { cert: fixture("cert.pem"), key: fixture("key.pem") } }), startPythonWs()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([tls?.close(), plain?.close()]);
});

function user(host: string | undefined, rejectUnauthorized = true) {
  const { recorder, sockets } = wsUser(host, { rejectUnauthorized, task: undefined });
  const rows = () => recorder.records.map((r) => `${r.ok ? "ok" : "FAIL"} ${r.method} ${r.name}${r.ok ? "" : ` ${String(r.detail)}`}`);
  return { sockets, rows };
}

/** A TCP server whose every connection gets `answer` (or nothing) and stays open. */
async function tcpServer(answer: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => answer !== undefined && socket.write(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("wss://", () => {
  test("an https:// host makes a relative URL wss://; with verification off it echoes", async () => {
    const { sockets, rows } = user(tls.httpUrl, false);
    const ws = await sockets.connect("/echo");
    expect(await ws.request("over tls")).toBe("over tls");
    await ws.close();
    expect(rows()).toEqual(["ok WS-conn /echo", "ok WS /echo"]);
  });

  test("a self-signed certificate fails WS-conn with ETLS when verification is on (the default)", async () => {
    const { sockets, rows } = user(undefined);
    const error = (await sockets.connect(`${tls.url}/echo`).catch((e: unknown) => e)) as WebSocketError;
    expect(error.code).toBe("ETLS");
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toStartWith(`FAIL WS-conn /echo TLS handshake with localhost:${tls.port} failed:`);
  });
  test("a server that does not speak TLS fails WS-conn with ETLS asking whether the port does", async () => {
    const { sockets, rows } = user(undefined, false);
    const error = (await sockets.connect(`wss://127.0.0.1:${plain.port}/echo`).catch((e: unknown) => e)) as WebSocketError;
    const why = `TLS handshake with 127.0.0.1:${plain.port} failed: the server closed the connection (does it speak TLS on this port?)`;
    expect([error.code, error.message]).toEqual(["ETLS", why]);
    expect(rows()).toEqual([`FAIL WS-conn /echo ${why}`]);
  });
});

describe("a server that does not answer the handshake as a WebSocket server", () => {
  test("silence: WS-conn fails with ETIMEDOUT after timeoutMs", async () => {
    const server = await tcpServer(undefined);
    try {
      const { sockets, rows } = user(undefined);
      const error = (await sockets
        .connect(`ws://127.0.0.1:${server.port}/quiet`, { timeoutMs: 100 })
        .catch((e: unknown) => e)) as WebSocketError;
      expect(error.code).toBe("ETIMEDOUT");
      expect(rows()).toEqual([`FAIL WS-conn /quiet ws://127.0.0.1:${server.port}/quiet: no handshake answer within 100 ms`]);
      expect(sockets.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  test("not HTTP: WS-conn fails with EUPGRADE quoting what came back", async () => {
    const server = await tcpServer("SSH-2.0-OpenSSH_9.6\r\n\r\n");
    try {
      const { sockets, rows } = user(undefined);
      const error = (await sockets.connect(`ws://127.0.0.1:${server.port}/ssh`).catch((e: unknown) => e)) as WebSocketError;
      expect(error.code).toBe("EUPGRADE");
      expect(rows()).toEqual([
        `FAIL WS-conn /ssh ws://127.0.0.1:${server.port}/ssh: the server did not answer with HTTP: "SSH-2.0-OpenSSH_9.6"`,
      ]);
    } finally {
      await server.close();
    }
  });
});
