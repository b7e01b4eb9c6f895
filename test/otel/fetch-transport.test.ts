// The spans' fetch POST keeps the SDK's transport contract and retry rule: a 503 or 429 is sent
// again (after Retry-After when given, else after the backoff), a 400 is not, a refused connection
// is retryable, a Retry-After past the timeout gives up at once. A local server answers as scripted
// (a collector cannot be made to answer 503 on demand); over https it trusts the CA it is given
// and presents a client certificate, and a certificate it rejects is not retried.
// test/otel/collector.full.test.ts posts through the same path to a real collector, TLS included.
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { fetchInit, fetchTransport, retryAfterMs } from "../../src/otel/fetch-transport.ts";
import { selfSignedCert } from "../support/nginx.ts";
import { tempDir } from "../support/procs.ts";

interface Received {
  readonly at: number;
  readonly body: Buffer;
  readonly headers: IncomingMessage["headers"];
}
type Answer = (res: ServerResponse) => void;

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A server on 127.0.0.1 that answers the n-th POST with `answers[n]` (the last one from then on). */
async function scripted(answers: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ at: Date.now(), body: Buffer.concat(chunks), headers: req.headers });
      (answers[Math.min(received.length, answers.length) - 1] as Answer)(res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, received };
}

const status =
  (code: number, headers: Record<string, string> = {}, body = ""): Answer =>
  (res) => {
    res.writeHead(code, headers);
    res.end(body);
  };
const target = (url: string, headers: Record<string, string> = {}, compression = "none") => ({
  url,
  headers: async () => headers,
  compression,
});
const BODY = new Uint8Array([10, 3, 1, 2, 3]);

describe("the spans' fetch transport", () => {
  test("posts the bytes with the configured headers, and a 200's body comes back as the response", async () => {
    const { url, received } = await scripted([status(200, {}, "ok")]);
    const headers = { "Content-Type": "application/x-protobuf", "x-team": "checkout" };
    const result = await fetchTransport(target(url, headers)).send(BODY, 5000);
    expect(result.status).toBe("success");
    expect(result.status === "success" && new TextDecoder().decode(result.data)).toBe("ok");
    expect(received).toHaveLength(1);
    const [first] = received as [Received];
    expect([...first.body]).toEqual([...BODY]);
    expect(first.headers["content-type"]).toBe("application/x-protobuf");
    expect(first.headers["x-team"]).toBe("checkout");
    expect(first.headers["user-agent"]).toContain("OTel-OTLP-Exporter-JavaScript");
  });

  test("a 503 with Retry-After is sent again, the same bytes, until it succeeds", async () => {
    const { url, received } = await scripted([status(503, { "Retry-After": "0" }), status(503, { "Retry-After": "0" }), status(200)]);
    const result = await fetchTransport(target(url)).send(BODY, 5000);
    expect(result.status).toBe("success");
    expect(received.map((r) => [...r.body])).toEqual([[...BODY], [...BODY], [...BODY]]);
  });

  test("a 429 without Retry-After waits out the SDK's first backoff (1 s less 20% jitter) before the second attempt", async () => {
    const { url, received } = await scripted([status(429), status(200)]);
    const result = await fetchTransport(target(url)).send(BODY, 5000);
    expect(result.status).toBe("success");
    expect(received).toHaveLength(2);
    const [first, second] = received as [Received, Received];
    expect(second.at - first.at).toBeGreaterThanOrEqual(790);
  });

  test("a server that keeps answering 502 is tried six times (five retries), then the export is retryable-failed", async () => {
    const { url, received } = await scripted([status(502, { "Retry-After": "0" })]);
    const result = await fetchTransport(target(url)).send(BODY, 5000);
    expect(result.status).toBe("retryable");
    expect(received).toHaveLength(6);
  });

  test("a 400 is a failure sent once, carrying the status and the server's message", async () => {
    const { url, received } = await scripted([status(400, {}, "bad spans")]);
    const result = await fetchTransport(target(url)).send(BODY, 5000);
    expect(received).toHaveLength(1);
    expect(result.status).toBe("failure");
    const error = result.status === "failure" ? (result.error as Error & { code?: number; data?: string }) : undefined;
    expect(error?.code).toBe(400);
    expect(error?.data).toBe("bad spans");
  });

  test("a Retry-After longer than the time left is not waited for: one attempt, retryable", async () => {
    const { url, received } = await scripted([status(503, { "Retry-After": "30" }), status(200)]);
    const result = await fetchTransport(target(url)).send(BODY, 2000);
    expect(result.status).toBe("retryable");
    expect(received).toHaveLength(1);
  });

  test("with gzip the batch goes compressed once: Content-Encoding gzip, and a retry sends the same bytes, which gunzip to the batch", async () => {
    const { url, received } = await scripted([status(503, { "Retry-After": "0" }), status(200)]);
    const batch = new Uint8Array(4096).map((_, i) => i % 7); // compressible, as spans are
    const result = await fetchTransport(target(url, { "Content-Type": "application/x-protobuf" }, "gzip")).send(batch, 5000);
    expect(result.status).toBe("success");
    expect(received).toHaveLength(2);
    const [first, second] = received as [Received, Received];
    expect(first.headers["content-encoding"]).toBe("gzip");
    expect(first.body.byteLength).toBeLessThan(batch.byteLength / 4);
    expect(second.body.equals(first.body)).toBe(true);
    expect([...gunzipSync(first.body)]).toEqual([...batch]);
  });

  test("without compression no Content-Encoding is sent", async () => {
    const { received, url } = await scripted([status(200)]);
    await fetchTransport(target(url)).send(BODY, 5000);
    expect((received[0] as Received).headers["content-encoding"]).toBeUndefined();
  });

  test("a refused connection is retryable, as the SDK's ECONNREFUSED", async () => {
    const { url } = await scripted([status(200)]);
    server?.close();
    const result = await fetchTransport(target(url)).send(BODY, 1500);
    expect(result.status).toBe("retryable");
  });
});

describe("fetchInit", () => {
  const tls = { ca: new Uint8Array([1]) };
  test("plain http needs nothing more; https takes the certificate files (under Bun); anything else does not go by fetch", () => {
    let read = 0;
    const files = () => {
      read++;
      return tls;
    };
    expect(fetchInit("http://127.0.0.1:4318/v1/traces", files)).toEqual({});
    expect(read).toBe(0);
    expect(fetchInit("https://collector:4318/v1/traces", files)).toEqual({ tls } as RequestInit);
    expect(read).toBe(1);
    expect(fetchInit("ftp://collector/v1/traces", files)).toBeUndefined();
  });
});

describe("the spans' fetch transport over https", () => {
  const dir = tempDir("otlp-tls");
  const server = selfSignedCert(dir); // for 127.0.0.1
  const client = selfSignedCert(tempDir("otlp-tls-client")); // its own CA: the server trusts it as one
  const pem = (path: string) => new Uint8Array(readFileSync(path));

  /** An https server on 127.0.0.1 answering 200; with `clientCa`, it asks for a client certificate signed by it. */
  async function httpsServer(clientCa?: string): Promise<{ url: string; peers: string[] }> {
    // peers: the path of each request served
    const peers: string[] = [];
    const options = { cert: readFileSync(server.cert), key: readFileSync(server.key) };
    const tls = clientCa ? { ...options, requestCert: true, rejectUnauthorized: true, ca: readFileSync(clientCa) } : options;
    const https = createHttpsServer(tls, (req, res) => {
      req.resume();
      req.on("end", () => {
        peers.push(req.url ?? "");
        res.writeHead(200).end();
      });
    });
    server_ = https;
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    return { url: `https://127.0.0.1:${(https.address() as AddressInfo).port}/v1/traces`, peers };
  }
  let server_: { close(): void; closeAllConnections(): void } | undefined;
  afterEach(() => {
    server_?.closeAllConnections();
    server_?.close();
    server_ = undefined;
  });
  const over = (url: string, tls: { ca?: Uint8Array; cert?: Uint8Array; key?: Uint8Array }) => ({
    ...target(url),
    init: fetchInit(url, () => tls),
  });

  test("trusts the collector's certificate by the CA it is given, and no other", async () => {
    const { url, peers } = await httpsServer();
    expect((await fetchTransport(over(url, { ca: pem(server.cert) })).send(BODY, 5000)).status).toBe("success");
    expect(peers).toHaveLength(1);
    const untrusted = await fetchTransport(over(url, { ca: pem(client.cert) })).send(BODY, 5000);
    expect(untrusted.status).toBe("failure"); // a certificate error is not retried, as the SDK's transport
    expect(peers).toHaveLength(1);
  });

  test("presents the client certificate a collector asks for; without it the collector refuses", async () => {
    const { url, peers } = await httpsServer(client.cert);
    const mutual = { ca: pem(server.cert), cert: pem(client.cert), key: pem(client.key) };
    expect((await fetchTransport(over(url, mutual)).send(BODY, 5000)).status).toBe("success");
    expect(peers).toEqual(["/v1/traces"]);
    const anonymous = await fetchTransport(over(url, { ca: pem(server.cert) })).send(BODY, 1500);
    expect(anonymous.status).not.toBe("success");
    expect(peers).toHaveLength(1);
  });
});

describe("retryAfterMs", () => {
  test("reads seconds, an HTTP date, and nothing, as the SDK does", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs("0")).toBe(-1);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(50_000);
  });
});
