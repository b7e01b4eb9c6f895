import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Buffer } from "node:buffer";
import { deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { HttpClient } from "../../src/http/index.ts";
import { httpServer, RecordingRecorder, type TestServer } from "./helpers.ts";

const TEXT = "a compressible body, ".repeat(200); // 4200 bytes
const GZIPPED = gzipSync(TEXT);
const MiB = 1024 * 1024;
// Gzip members may be concatenated: 100 copies of 10 MiB of zeros inflate to 1000 MiB from ~1 MiB.
const BOMB_MEMBER = gzipSync(new Uint8Array(10 * MiB), { level: 9 });
const BOMB = Buffer.concat(Array.from({ length: 100 }, () => BOMB_MEMBER));

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const send = (encoding: string, body: Uint8Array) => {
      response.setHeader("content-encoding", encoding);
      response.end(body);
    };
    if (url.pathname === "/accept") return response.end(request.headers["accept-encoding"] ?? "(none)");
    if (url.pathname === "/gzip") return send("gzip", GZIPPED);
    if (url.pathname === "/x-gzip") return send("x-gzip", GZIPPED);
    if (url.pathname === "/deflate") return send("deflate", deflateSync(TEXT));
    if (url.pathname === "/raw-deflate") return send("deflate", deflateRawSync(TEXT));
    if (url.pathname === "/twice") return send("deflate, gzip", gzipSync(deflateSync(TEXT)));
    if (url.pathname === "/brotli") return send("br", new Uint8Array([1, 2, 3]));
    if (url.pathname === "/chunked-gzip") {
      response.setHeader("content-encoding", "gzip");
      response.write(GZIPPED.subarray(0, 10));
      return setImmediate(() => response.end(GZIPPED.subarray(10)));
    }
    if (url.pathname === "/corrupt") return send("gzip", new TextEncoder().encode("this is not gzip"));
    if (url.pathname === "/truncated") return send("gzip", GZIPPED.subarray(0, GZIPPED.length - 20));
    if (url.pathname === "/bomb") return send("gzip", BOMB);
    response.end("plain");
  });
});
afterAll(() => server.close());

function client(extra: { decompress?: boolean; maxBodyBytes?: number; headers?: Record<string, string> } = {}) {
  const recorder = new RecordingRecorder();
  return { recorder, http: new HttpClient({ baseUrl: server.url, recorder, ...extra }) };
}

describe("compressed responses", () => {
  test("requests ask for gzip and deflate by default; decompress: false asks for nothing", async () => {
    const { http } = client();
    expect((await http.get("/accept")).text()).toBe("gzip, deflate");
    expect((await http.get("/accept", { headers: { "accept-encoding": "identity" } })).text()).toBe("identity");
    const { http: plain } = client({ decompress: false });
    expect((await plain.get("/accept")).text()).toBe("(none)");
    http.close();
    plain.close();
  });

  for (const path of ["/gzip", "/x-gzip", "/deflate", "/raw-deflate", "/twice", "/chunked-gzip"]) {
    test(`a ${path.slice(1)} body is decoded, and its decoded length is what is recorded`, async () => {
      const { recorder, http } = client();
      const response = await http.get(path);
      expect(response.text()).toBe(TEXT);
      expect(response.contentLength).toBe(TEXT.length);
      expect(response.headers["content-encoding"]).toBeDefined();
      expect(recorder.only).toMatchObject({ kind: "success", name: path, length: TEXT.length });
      http.close();
    });
  }

  test("json() reads a decoded body", async () => {
    const jsonServer = await httpServer((_request, response) => {
      response.setHeader("content-encoding", "gzip");
      response.end(gzipSync(JSON.stringify({ ok: true })));
    });
    const http = new HttpClient({ baseUrl: jsonServer.url, recorder: new RecordingRecorder() });
    expect((await http.get("/")).json()).toEqual({ ok: true });
    http.close();
    await jsonServer.close();
  });

  test("with decompress: false a gzip body comes back as received", async () => {
    const { recorder, http } = client({ decompress: false });
    const response = await http.get("/gzip", { headers: { "accept-encoding": "gzip" } });
    expect(Buffer.from(response.bytes()).equals(GZIPPED)).toBe(true);
    expect(recorder.only.length).toBe(GZIPPED.length);
    http.close();
  });

  test("a coding we do not decode (br) leaves the body as received", async () => {
    const { http } = client();
    expect([...(await http.get("/brotli")).bytes()]).toEqual([1, 2, 3]);
    http.close();
  });

  test("a HEAD of a gzip resource has no body to decode", async () => {
    const { recorder, http } = client();
    const response = await http.head("/gzip");
    expect(response.status).toBe(200);
    expect(response.contentLength).toBe(0);
    expect(recorder.only.kind).toBe("success");
    http.close();
  });

  for (const path of ["/corrupt", "/truncated"]) {
    test(`a ${path.slice(1)} gzip body is an EPROTO failure that says so, and the connection stays usable`, async () => {
      const { recorder, http } = client();
      const before = server.connections;
      const response = await http.get(path);
      expect(response.status).toBe(0);
      expect(response.error?.code).toBe("EPROTO");
      expect(response.error?.message).toContain(`${server.url}${path} is not valid gzip`);
      expect((await http.get("/gzip")).text()).toBe(TEXT);
      expect(server.connections - before).toBe(1);
      expect(recorder.calls).toMatchObject([{ kind: "failure", name: path, error: response.error }, { kind: "success" }]);
      http.close();
    });
  }

  test("a zip bomb stops inflating at maxBodyBytes: counted as received, not kept, and reading it explains why", async () => {
    const { recorder, http } = client({ maxBodyBytes: MiB });
    const rssBefore = process.memoryUsage().rss;
    const response = await http.get("/bomb", { timeoutMs: 30_000 });
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * MiB); // 1000 MiB if it were inflated
    expect(response.status).toBe(200);
    expect(response.contentLength).toBe(BOMB.length);
    expect(recorder.only).toMatchObject({ kind: "success", length: BOMB.length });
    expect(() => response.bytes()).toThrow(
      expect.objectContaining({ code: "EBODYTOOLARGE", message: expect.stringContaining("decompressed") }),
    );
    http.close();
  });

  test("a decoded body of exactly maxBodyBytes is kept", async () => {
    const { http } = client({ maxBodyBytes: TEXT.length });
    expect((await http.get("/gzip")).text()).toBe(TEXT);
    http.close();
  });
});
