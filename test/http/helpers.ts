// Real loopback servers and a recording Recorder for the HTTP client tests.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";
import type { Recorder } from "../../src/stats/recorder.ts";

export interface Recorded {
  kind: "success" | "failure";
  method: string;
  name: string;
  ms: number;
  length: number;
  error: unknown;
}

/** A Recorder that remembers every call, in order. */
export class RecordingRecorder implements Recorder {
  readonly calls: Recorded[] = [];
  success(method: string, name: string, ms: number, length: number): void {
    this.calls.push({ kind: "success", method, name, ms, length, error: undefined });
  }
  failure(method: string, name: string, ms: number, error: unknown): void {
    this.calls.push({ kind: "failure", method, name, ms, length: 0, error });
  }
  get only(): Recorded {
    if (this.calls.length !== 1) throw new Error(`expected exactly one recorded call, got ${JSON.stringify(this.calls)}`);
    return this.calls[0] as Recorded;
  }
}

export interface TestServer {
  readonly port: number;
  readonly url: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Sockets currently open on the server side. */
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

function track(server: Server, scheme: string): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("server has no port"));
      resolve({
        port: address.port,
        url: `${scheme}://127.0.0.1:${address.port}`,
        get connections() {
          return connections;
        },
        sockets,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A node:http server that buffers each request body before calling the handler. */
export function httpServer(handler: Handler): Promise<TestServer> {
  const server = createHttpServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (part: string) => (body += part));
    request.on("end", () => handler(request, response, body));
  });
  server.keepAliveTimeout = 30_000;
  return track(server, "http");
}

/** A raw TCP server: `onRequest` gets each request head (as text) and writes whatever bytes it likes. */
export function rawServer(onRequest: (socket: Socket, head: string) => void): Promise<TestServer> {
  const server = createNetServer((socket) => {
    let buffered = "";
    socket.setEncoding("latin1");
    socket.on("data", (data: string) => {
      buffered += data;
      for (let end = buffered.indexOf("\r\n\r\n"); end >= 0; end = buffered.indexOf("\r\n\r\n")) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        onRequest(socket, head);
      }
    });
    socket.on("error", () => socket.destroy());
  });
  return track(server, "http");
}

/** Wraps a TLS/other server created by the caller. */
export function trackServer(server: Server, scheme: string): Promise<TestServer> {
  return track(server, scheme);
}

export { refusedPort } from "../support/procs.ts";
