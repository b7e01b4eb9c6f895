import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpClient } from "../../src/http/index.ts";
import { httpServer, rawServer, RecordingRecorder, type TestServer } from "./helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response, body) => {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname.startsWith("/echo")) {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }));
    } else if (url.pathname === "/chunked") {
      response.write("hello, ");
      setImmediate(() => response.end("chunked world"));
    } else if (url.pathname === "/status") {
      response.statusCode = Number(url.searchParams.get("code"));
      response.end("status body");
    } else if (url.pathname === "/charset") {
      // "café ÿ" in the charset asked for: latin-1 bytes, windows-1252 (0x80 is the euro sign) or UTF-8.
      const charset = url.searchParams.get("c");
      response.setHeader("content-type", charset === null ? "text/plain" : `text/plain; charset=${charset}`);
      response.end(Buffer.from(charset === null || charset === "utf-8" ? "café ÿ €" : [0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0x20, 0x80]));
    } else if (url.pathname === "/empty") {
      response.statusCode = 204;
      response.end();
    } else response.end("hello");
  });
});
afterAll(() => server.close());

function client(recorder = new RecordingRecorder(), extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return { recorder, http: new HttpClient({ baseUrl: server.url, recorder, ...extra }) };
}

describe("HttpClient", () => {
  test("a GET reads a Content-Length body and records a success under the path", async () => {
    const { recorder, http } = client();
    const response = await http.get("/hello?x=1");
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.text()).toBe("hello");
    expect(response.contentLength).toBe(5);
    expect(response.headers["content-length"]).toBe("5");
    expect(response.url).toBe(`${server.url}/hello?x=1`);
    expect(recorder.only).toMatchObject({ kind: "success", method: "GET", name: "/hello?x=1", length: 5 });
    expect(recorder.only.ms).toBeGreaterThan(0);
    expect(recorder.only.ms).toBe(response.elapsedMs);
    http.close();
  });

  test("a chunked body is dechunked and counted after dechunking", async () => {
    const { recorder, http } = client();
    const response = await http.get("/chunked");
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    expect(response.text()).toBe("hello, chunked world");
    expect(recorder.only.length).toBe(20);
    http.close();
  });

  test("a body delimited by the server closing the connection is read to the end", async () => {
    const raw = await rawServer((socket) => socket.end("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"));
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: raw.url, recorder });
    expect((await http.get("/")).text()).toBe("until close");
    expect((await http.get("/")).text()).toBe("until close");
    expect(raw.connections).toBe(2);
    expect(recorder.calls.map((c) => c.length)).toEqual([11, 11]);
    http.close();
    await raw.close();
  });

  test("sequential requests reuse one keep-alive connection", async () => {
    const { http } = client();
    const before = server.connections;
    for (let i = 0; i < 5; i++) expect((await http.get("/hello")).status).toBe(200);
    expect(server.connections - before).toBe(1);
    http.close();
  });

  test("concurrent requests from one client each get a connection, and later ones reuse them", async () => {
    const { http } = client();
    const before = server.connections;
    await Promise.all([http.get("/chunked"), http.get("/chunked"), http.get("/chunked")]);
    await Promise.all([http.get("/hello"), http.get("/hello"), http.get("/hello")]);
    expect(server.connections - before).toBe(3);
    expect(http.connectionCount).toBe(3);
    http.close();
  });

  test("a response with Connection: close is not reused", async () => {
    const raw = await rawServer((socket) => socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
    const http = new HttpClient({ baseUrl: raw.url, recorder: new RecordingRecorder() });
    expect((await http.get("/")).text()).toBe("ok");
    expect((await http.get("/")).text()).toBe("ok");
    expect(raw.connections).toBe(2);
    http.close();
    await raw.close();
  });

  test("HEAD and 204 responses have no body and keep the connection", async () => {
    const { recorder, http } = client();
    const before = server.connections;
    const head = await http.head("/hello");
    expect(head.status).toBe(200);
    expect(head.contentLength).toBe(0);
    expect((await http.get("/empty")).status).toBe(204);
    expect((await http.get("/hello")).text()).toBe("hello");
    expect(server.connections - before).toBe(1);
    expect(recorder.calls.map((c) => `${c.kind} ${c.method} ${c.name}`)).toEqual([
      "success HEAD /hello",
      "success GET /empty",
      "success GET /hello",
    ]);
    http.close();
  });

  test("request bodies, json and headers reach the server with Host, Content-Length and User-Agent", async () => {
    const { http } = client(undefined, { headers: { "X-Default": "d", "X-Both": "client" } });
    const posted = (await http.post("/echo", { json: { a: 1 }, headers: { "X-Both": "call" } })).json<{
      method: string;
      body: string;
      headers: Record<string, string>;
    }>();
    expect(posted.method).toBe("POST");
    expect(posted.body).toBe('{"a":1}');
    expect(posted.headers).toMatchObject({
      host: `127.0.0.1:${server.port}`,
      "content-type": "application/json",
      "content-length": "7",
      "user-agent": "loadworker",
      "x-default": "d",
      "x-both": "call",
    });
    const put = (await http.put("/echo", { body: new Uint8Array([104, 105]) })).json<{ method: string; body: string }>();
    expect(put).toMatchObject({ method: "PUT", body: "hi" });
    const custom = (await http.request("options", "/echo")).json<{ method: string }>();
    expect(custom.method).toBe("OPTIONS");
    http.close();
  });

  test("4xx and 5xx are recorded as failures with Locust's HTTPError text", async () => {
    const { recorder, http } = client();
    const notFound = await http.get("/status?code=404");
    const broken = await http.delete("/status?code=500", { name: "/status [broken]" });
    expect(notFound.status).toBe(404);
    expect(notFound.ok).toBe(false);
    expect(broken.text()).toBe("status body");
    expect(recorder.calls).toMatchObject([
      {
        kind: "failure",
        method: "GET",
        name: "/status?code=404",
        error: "HTTPError('404 Client Error: Not Found for url: /status?code=404')",
      },
      {
        kind: "failure",
        method: "DELETE",
        name: "/status [broken]",
        error: "HTTPError('500 Server Error: Internal Server Error for url: /status [broken]')",
      },
    ]);
    http.close();
  });

  test("the name option groups different URLs; without it a call is named by its path and query, as Locust names it", async () => {
    const { recorder, http } = client();
    await http.get("/hello?id=1", { name: "/hello?id=[id]" });
    await http.get("/hello?id=2", { name: "/hello?id=[id]" });
    await http.get(`${server.url}/hello`);
    await http.get(`${server.url}/a/../hello?q=x y`);
    expect(recorder.calls.map((c) => c.name)).toEqual(["/hello?id=[id]", "/hello?id=[id]", "/hello", "/hello?q=x%20y"]);
    http.close();
  });

  test("a base URL with a path is kept, as Locust joins host and path", async () => {
    const { http } = client(undefined, { baseUrl: `${server.url}/echo/` });
    const echoed = (await http.get("/sub?q=1")).json<{ url: string }>();
    expect(echoed.url).toBe("/echo/sub?q=1");
    http.close();
  });

  test("a URL that cannot be used rejects with EINVALIDURL naming it, and records nothing", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ recorder });
    await expect(http.get("/relative")).rejects.toMatchObject({
      code: "EINVALIDURL",
      message:
        "URL \"/relative\" is relative and there is no host: give one (--host, the web UI's Host field, the class's host or the client's baseUrl)",
    });
    await expect(http.get("http://[bad")).rejects.toMatchObject({ code: "EINVALIDURL" });
    await expect(http.get("ftp://127.0.0.1/x")).rejects.toMatchObject({ code: "EINVALIDURL" });
    await expect(http.get(`${server.url}/`, { headers: { "X-Bad": "a\r\nInjected: 1" } })).rejects.toMatchObject({
      code: "EINVALIDHEADER",
    });
    await expect(http.request("GET / HTTP/1.1\r\nX:", `${server.url}/`)).rejects.toMatchObject({ code: "EINVALIDMETHOD" });
    expect(recorder.calls).toEqual([]);
    http.close();
  });

  test("a host without its scheme fails every relative call with one message that says how to write it; absolute URLs still go", async () => {
    const recorder = new RecordingRecorder();
    const port = new URL(server.url).port;
    const http = new HttpClient({ recorder, baseUrl: `127.0.0.1:${port}` });
    const expected = `the host "127.0.0.1:${port}" is not an http:// or https:// URL: give it with its scheme, e.g. http://127.0.0.1:${port} (--host, the web UI's Host field or the class's host)`;
    await expect(http.get("/items/7")).rejects.toMatchObject({ code: "EINVALIDURL", message: expected });
    await expect(http.get("/items/8")).rejects.toMatchObject({ code: "EINVALIDURL", message: expected });
    expect((await http.get(`${server.url}/hello`)).status).toBe(200);
    expect(recorder.calls.map((c) => c.name)).toEqual(["/hello"]);
    http.close();
  });

  test("text() decodes in the Content-Type's charset, as requests' Response.text does", async () => {
    const { http } = client();
    expect((await http.get("/charset?c=ISO-8859-1")).text()).toBe("café ÿ \u0080");
    expect((await http.get("/charset?c=%22latin1%22")).text()).toBe("café ÿ \u0080");
    expect((await http.get("/charset?c=windows-1252")).text()).toBe("café ÿ €");
    expect((await http.get("/charset?c=utf-8")).text()).toBe("café ÿ €");
    expect((await http.get("/charset")).text()).toBe("café ÿ €");
    http.close();
  });

  test("a Host header given by the caller replaces ours", async () => {
    const { http } = client();
    const echoed = (await http.get("/echo", { headers: { host: "example.test" } })).json<{ headers: Record<string, string> }>();
    expect(echoed.headers.host).toBe("example.test");
    http.close();
  });

  test("a closed client rejects new requests with ECLOSED", async () => {
    const { http } = client();
    http.close();
    await expect(http.get("/hello")).rejects.toMatchObject({ code: "ECLOSED" });
  });
});
