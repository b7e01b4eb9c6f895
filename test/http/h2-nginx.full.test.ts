// HTTP/2 against Debian's nginx, a server nobody here wrote: ALPN over TLS (and the fall back to
// HTTP/1.1 where the listener has no http2), h2c with prior knowledge, multiplexing counted by the
// server's own connection numbers ($connection in its access log), GOAWAY and RST_STREAM; what
// h2c and gRPC say when the server does not speak HTTP/2 there.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { GrpcClient, type GrpcUnary, ProtoFiles } from "../../src/grpc/index.ts";
import { HttpClient, type HttpClientOptions } from "../../src/http/index.ts";
import { recordingRecorder } from "../support/fakes.ts";
import { GRPC_TASKS } from "../support/grpc-server.ts";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { waitFor } from "../support/wait.ts";
import { RecordingRecorder } from "./helpers.ts";

let nginx: Nginx;
let strict: Nginx; // closes each connection with a GOAWAY after 7 requests
beforeAll(async () => {
  nginx = await startNginx(`
    location = /reset { return 444; }
    location = /slow { limit_rate 2k; }
    location = /cookie { add_header Set-Cookie "sid=abc; Path=/"; return 200 "set\\n"; }
    location = /echo-cookie { return 200 "$http_cookie\\n"; }
    location = /moved { return 302 /; }
    location = /gz { gzip on; gzip_min_length 1; gzip_types text/plain; default_type text/plain; try_files /big.txt =404; }
  `);
  writeFileSync(join(nginx.dir, "html", "slow"), "x".repeat(64 * 1024));
  writeFileSync(join(nginx.dir, "html", "big.txt"), "a fairly repetitive line of text\n".repeat(500));
  strict = await startNginx("keepalive_requests 7;");
}, 30_000);
afterAll(async () => {
  await nginx?.close();
  await strict?.close();
});

function client(baseUrl: string, options: Partial<HttpClientOptions> = {}) {
  const recorder = new RecordingRecorder();
  const http = new HttpClient({ baseUrl, recorder, rejectUnauthorized: false, ...options });
  return { recorder, http };
}

/**
 * The access-log lines for one path once `count` are there (nginx writes a line after the response
 * left, so a client may see its answer first): how many, over which protocols, on how many connections.
 */
async function served(server: Nginx, path: string, count: number) {
  const lines = await waitFor(
    () => {
      const found = server.requests().filter((r) => r.path === path);
      return found.length >= count ? found : undefined;
    },
    5_000,
    `${count} requests for ${path} in nginx's access log`,
  );
  return {
    requests: lines.length,
    protocols: [...new Set(lines.map((r) => r.protocol))],
    connections: new Set(lines.map((r) => r.connection)).size,
  };
}

describe("HTTP/2 against nginx", () => {
  test("http2: true over TLS negotiates h2 by ALPN: Promise.all of 10 calls is 10 streams on 1 connection", async () => {
    const { recorder, http } = client(nginx.tlsUrl, { http2: true });
    const responses = await Promise.all(Array.from({ length: 10 }, () => http.get("/?batch=1")));
    expect(responses.map((r) => [r.status, r.httpVersion, r.text()])).toEqual(Array(10).fill([200, "2", "hello from nginx\n"]));
    expect(http.connectionCount).toBe(1);
    await Promise.all(Array.from({ length: 10 }, () => http.get("/?batch=1")));
    expect(await served(nginx, "/?batch=1", 20)).toEqual({ requests: 20, protocols: ["HTTP/2.0"], connections: 1 });
    expect(recorder.calls.map((c) => [c.kind, c.method, c.name])).toEqual(Array(20).fill(["success", "GET", "/?batch=1"]));
    http.close();
  });

  test("without the option, the same 10 calls take 10 HTTP/1.1 connections", async () => {
    const { http } = client(nginx.tlsUrl);
    await Promise.all(Array.from({ length: 10 }, () => http.get("/?batch=h1")));
    expect(await served(nginx, "/?batch=h1", 10)).toEqual({ requests: 10, protocols: ["HTTP/1.1"], connections: 10 });
    http.close();
  });

  test("a TLS server without h2 is spoken to in HTTP/1.1 (ALPN chose it), from the first call on", async () => {
    const { recorder, http } = client(nginx.h1TlsUrl, { http2: true });
    const first = await http.get("/?fallback=1");
    const more = await Promise.all([http.get("/?fallback=1"), http.get("/?fallback=1")]);
    expect([first, ...more].map((r) => [r.status, r.httpVersion])).toEqual(Array(3).fill([200, "1.1"]));
    expect((await served(nginx, "/?fallback=1", 3)).protocols).toEqual(["HTTP/1.1"]);
    expect(recorder.calls.every((c) => c.kind === "success")).toBe(true);
    http.close();
  });

  test('"h2c" speaks HTTP/2 over cleartext with prior knowledge; true leaves cleartext on HTTP/1.1', async () => {
    const h2c = client(nginx.h2cUrl, { http2: "h2c" });
    expect((await Promise.all(Array.from({ length: 5 }, () => h2c.http.get("/?h2c=1")))).map((r) => r.httpVersion)).toEqual(
      Array(5).fill("2"),
    );
    expect(await served(nginx, "/?h2c=1", 5)).toEqual({ requests: 5, protocols: ["HTTP/2.0"], connections: 1 });
    h2c.http.close();
    const plain = client(nginx.httpUrl, { http2: true });
    expect((await plain.http.get("/?plain=1")).httpVersion).toBe("1.1");
    plain.http.close();
  });

  test('"h2c" at a server that speaks only HTTP/1.1 fails with EPROTO saying so, not with a nonsense frame size', async () => {
    const { recorder, http } = client(nginx.httpUrl, { http2: "h2c" });
    const response = await http.get("/?h1-only=1");
    const authority = new URL(nginx.httpUrl).host;
    expect([response.status, response.error?.code]).toEqual([0, "EPROTO"]);
    expect(response.error?.message).toBe(
      `${authority} answered in HTTP/1 ("HTTP/1.1 400 Bad Request"), not HTTP/2 (h2c prior knowledge): drop http2: "h2c" or point it at an h2c server`,
    );
    expect(recorder.only).toMatchObject({ kind: "failure", name: "/?h1-only=1" });
    http.close();
  });

  test("a call may ask for HTTP/2 on its own, or refuse it", async () => {
    const { http } = client(nginx.tlsUrl);
    expect((await http.get("/", { http2: true })).httpVersion).toBe("2");
    expect((await http.get("/")).httpVersion).toBe("1.1");
    const h2 = client(nginx.tlsUrl, { http2: true });
    expect((await h2.http.get("/", { http2: false })).httpVersion).toBe("1.1");
    http.close();
    h2.http.close();
  });

  test("cookies, redirects and gzip work as over HTTP/1.1", async () => {
    const { recorder, http } = client(nginx.tlsUrl, { http2: true });
    await http.get("/cookie");
    expect(http.cookies.get("sid")).toBe("abc");
    expect((await http.get("/echo-cookie")).text()).toBe("sid=abc\n");
    const moved = await http.get("/moved");
    expect([moved.status, moved.url, moved.httpVersion]).toEqual([200, `${nginx.tlsUrl}/`, "2"]);
    const gz = await http.get("/gz");
    expect([gz.headers["content-encoding"], gz.text()]).toEqual(["gzip", "a fairly repetitive line of text\n".repeat(500)]);
    expect(gz.contentLength).toBe(16_500);
    expect(recorder.calls.map((c) => [c.kind, c.name])).toEqual([
      ["success", "/cookie"],
      ["success", "/echo-cookie"],
      ["success", "/moved"],
      ["success", "/gz"],
    ]);
    http.close();
  });

  test("a stream the server resets is a recorded failure; the others on the connection go on", async () => {
    const { recorder, http } = client(nginx.tlsUrl, { http2: true });
    const [ok1, reset, ok2] = await Promise.all([http.get("/?around=1"), http.get("/reset"), http.get("/?around=1")]);
    expect([ok1.status, ok2.status]).toEqual([200, 200]);
    expect([reset.status, reset.error?.code]).toEqual([0, "ECONNRESET"]);
    expect(reset.error?.message).toBe(
      `${new URL(nginx.tlsUrl).host} reset the HTTP/2 stream (RST_STREAM PROTOCOL_ERROR (1)) before the response was complete`, // nginx resets a 444 with PROTOCOL_ERROR
    );
    expect(recorder.calls.filter((c) => c.kind === "failure").map((c) => c.name)).toEqual(["/reset"]);
    expect((await http.get("/?after=1")).status).toBe(200);
    http.close();
  });

  test("a stream past the deadline fails with ETIMEDOUT and is cancelled", async () => {
    const { recorder, http } = client(nginx.tlsUrl, { http2: true, timeoutMs: 300 });
    const [slow, fast] = await Promise.all([http.get("/slow"), http.get("/?fast=1")]);
    expect([slow.error?.code, fast.status]).toEqual(["ETIMEDOUT", 200]);
    expect(recorder.calls.map((c) => [c.kind, c.name])).toContainEqual(["failure", "/slow"]);
    http.close();
  });

  test("GOAWAY after every 7 requests loses none of 60 calls made 10 at a time: each is answered or retried on a fresh connection", async () => {
    const { recorder, http } = client(strict.tlsUrl, { http2: true });
    for (let batch = 0; batch < 6; batch++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => http.get("/?goaway=1")));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    }
    expect(recorder.calls.filter((c) => c.kind === "success")).toHaveLength(60);
    const log = await served(strict, "/?goaway=1", 60);
    expect(log.requests).toBe(60);
    expect(log.connections).toBeGreaterThanOrEqual(9); // 60 / 7
    http.close();
  });

  test("close() and interrupt() end HTTP/2 calls in flight like HTTP/1.1 ones: rejected, not recorded", async () => {
    const { recorder, http } = client(nginx.tlsUrl, { http2: true });
    const pending = http.get("/slow");
    await Bun.sleep(50);
    http.interrupt(new Error("killed"));
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect((await http.get("/")).status).toBe(200); // still usable after an interrupt
    const last = http.get("/slow");
    await Bun.sleep(50);
    http.close();
    await expect(last).rejects.toMatchObject({ code: "ECLOSED" });
    expect(recorder.calls.map((c) => c.name)).toEqual(["/"]);
  });
});

describe("gRPC against nginx's TLS listener without http2", () => {
  test("is UNAVAILABLE, saying the server does not offer HTTP/2 by ALPN", async () => {
    const recorder = recordingRecorder();
    const protos = new ProtoFiles(new Map([["helloworld.proto", readFileSync(join(GRPC_TASKS, "helloworld.proto"), "utf8")]]));
    const grpc = new GrpcClient({ recorder, clock: systemClock, protos, host: () => nginx.h1TlsUrl, rejectUnauthorized: false });
    const greeter = grpc.service<{ SayHello: GrpcUnary<{ name: string }, { message: string }> }>("helloworld.Greeter", {
      proto: "helloworld.proto",
    });
    const result = await greeter.SayHello({ name: "h1" }, { deadlineMs: 5_000 });
    expect(result).toMatchObject({ ok: false, status: "UNAVAILABLE" });
    expect(String(recorder.records[0]?.detail)).toEndWith(
      "TLSV1_ALERT_NO_APPLICATION_PROTOCOL (the server does not offer HTTP/2 (ALPN h2) on this port, which gRPC needs)",
    );
    grpc.close();
  });
});
