// TLS handshakes that fail, and what the failure says: a server that does not speak TLS on the
// port (Python's websockets, plain: it reads our ClientHello as a bad HTTP request and closes), and
// a self-signed certificate (node:https with the fixtures' certificate for localhost).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { HttpClient, type HttpClientOptions } from "../../src/http/index.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { RecordingRecorder, trackServer, type TestServer } from "./helpers.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let plain: WsPeer;
let selfSigned: TestServer;
beforeAll(async () => {
  plain = await startPythonWs({ compression: false });
  selfSigned = await trackServer(
    createServer({ key: fixture("key.pem"), cert: fixture("cert.pem") }, (_, res) => res.end("ok")),
    "https",
  );
}, 60_000);
afterAll(async () => {
  await plain?.close();
  await selfSigned?.close();
});

async function getOnce(baseUrl: string, options: Partial<HttpClientOptions> = {}) {
  const recorder = new RecordingRecorder();
  const http = new HttpClient({ baseUrl, recorder, rejectUnauthorized: false, ...options });
  try {
    const response = await http.get("/tls");
    return { code: response.error?.code, message: response.error?.message, recorded: recorder.only.kind };
  } finally {
    http.close();
  }
}

describe("a TLS handshake the server ends by closing the connection", () => {
  const closed = (port: number) => ({
    code: "ETLS" as const,
    message: `TLS handshake with 127.0.0.1:${port} failed: the server closed the connection (does it speak TLS on this port?)`,
    recorded: "failure" as const,
  });

  test("over HTTP/1.1 is an ETLS failure that asks whether the port speaks TLS", async () => {
    expect(await getOnce(`https://127.0.0.1:${plain.port}`)).toEqual(closed(plain.port));
  });

  test("with http2: true is the same ETLS failure, not a closed HTTP/2 connection", async () => {
    expect(await getOnce(`https://127.0.0.1:${plain.port}`, { http2: true })).toEqual(closed(plain.port));
  });
});

describe("a certificate the client does not trust", () => {
  const port = () => selfSigned.port;
  const hint =
    "(a self-signed certificate: trust it with NODE_EXTRA_CA_CERTS=<ca.pem> in the worker's environment, or set http: { rejectUnauthorized: false } for a test target)";

  test("a self-signed one fails with ETLS naming the code and the two ways to accept it", async () => {
    expect(await getOnce(`https://localhost:${port()}`, { rejectUnauthorized: true })).toEqual({
      code: "ETLS",
      message: `TLS handshake with localhost:${port()} failed: DEPTH_ZERO_SELF_SIGNED_CERT ${hint}`,
      recorded: "failure",
    });
  });

  test("over HTTP/2 it says the same", async () => {
    const failed = await getOnce(`https://localhost:${port()}`, { rejectUnauthorized: true, http2: true });
    expect(failed.message).toBe(`TLS handshake with localhost:${port()} failed: DEPTH_ZERO_SELF_SIGNED_CERT ${hint}`);
  });
});
