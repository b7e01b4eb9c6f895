import { describe, expect, test } from "bun:test";
import type { Socket } from "node:net";
import { HttpClient } from "../../src/http/index.ts";
import { rawServer, RecordingRecorder, refusedPort } from "./helpers.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

describe("network failures resolve as recorded failures with status 0", () => {
  test("a refused connection is an ECONNREFUSED failure naming the host", async () => {
    const port = await refusedPort();
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, recorder });
    const response = await http.get("/x");
    expect(response.status).toBe(0);
    expect(response.ok).toBe(false);
    expect(response.error?.code).toBe("ECONNREFUSED");
    expect(response.error?.message).toContain(`127.0.0.1:${port}`);
    expect(response.text()).toBe("");
    expect(recorder.only).toMatchObject({ kind: "failure", method: "GET", name: "/x", error: response.error });
    http.close();
  });

  test("a server that never answers times out with ETIMEDOUT, and the client keeps working", async () => {
    let requests = 0;
    const server = await rawServer((socket) => {
      if (++requests > 1) socket.write(OK);
    });
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder, timeoutMs: 5_000 });
    const response = await http.get("/slow", { timeoutMs: 50 });
    expect(response.error?.code).toBe("ETIMEDOUT");
    expect(response.error?.message).toContain("timed out after 50 ms");
    expect(response.elapsedMs).toBeGreaterThanOrEqual(45);
    expect((await http.get("/fast")).text()).toBe("ok");
    expect(recorder.calls.map((c) => c.kind)).toEqual(["failure", "success"]);
    http.close();
    await server.close();
  });

  test("a short timeout on a kept-alive socket is honoured even after a long one was armed", async () => {
    let requests = 0;
    const server = await rawServer((socket) => {
      if (++requests === 1) socket.write(OK);
    });
    const http = new HttpClient({ baseUrl: server.url, recorder: new RecordingRecorder(), timeoutMs: 60_000 });
    expect((await http.get("/first")).text()).toBe("ok");
    expect((await http.get("/second", { timeoutMs: 30 })).error?.code).toBe("ETIMEDOUT");
    expect(server.connections).toBe(1);
    http.close();
    await server.close();
  });

  test("a server that answers garbage is an EPROTO failure, and the client keeps working", async () => {
    let requests = 0;
    const server = await rawServer((socket) => socket.write(++requests === 1 ? "SSH-2.0-OpenSSH\r\n\r\n" : OK));
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder });
    const bad = await http.get("/");
    expect(bad.error?.code).toBe("EPROTO");
    expect(bad.error?.message).toContain(`127.0.0.1:${server.port}`);
    expect((await http.get("/")).text()).toBe("ok");
    expect(server.connections).toBe(2);
    http.close();
    await server.close();
  });

  test("a connection reset in the middle of a body is an ECONNRESET failure", async () => {
    const server = await rawServer((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
      socket.end();
    });
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder });
    expect((await http.get("/")).error?.code).toBe("ECONNRESET");
    expect(recorder.only.kind).toBe("failure");
    http.close();
    await server.close();
  });

  test("a reused socket that the server closes before answering is retried once on a new one", async () => {
    const served = new WeakSet<Socket>();
    // Answers the first request on each socket and closes on the second: the keep-alive race.
    const server = await rawServer((socket) => {
      if (served.has(socket)) return void socket.destroy();
      served.add(socket);
      socket.write(OK);
    });
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder });
    expect((await http.get("/")).text()).toBe("ok");
    expect((await http.get("/")).text()).toBe("ok");
    expect(recorder.calls.map((c) => c.kind)).toEqual(["success", "success"]);
    expect(server.connections).toBe(2);
    http.close();
    await server.close();
  });

  test("a POST or PATCH on a reused socket that the server closes is not retried, as requests does not", async () => {
    const served = new WeakSet<Socket>();
    let received = 0;
    const server = await rawServer((socket) => {
      received++;
      if (served.has(socket)) return void socket.destroy();
      served.add(socket);
      socket.write(OK);
    });
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder });
    for (const method of ["POST", "PATCH"]) {
      expect((await http.request(method, "/", { body: "once" })).text()).toBe("ok");
      expect((await http.request(method, "/", { body: "once" })).error?.code).toBe("ECONNRESET");
    }
    // Four requests reached the server: none was sent twice.
    expect(received).toBe(4);
    expect(recorder.calls.map((c) => `${c.method} ${c.kind}`)).toEqual(["POST success", "POST failure", "PATCH success", "PATCH failure"]);
    http.close();
    await server.close();
  });

  test("a new socket that the server closes before answering is not retried", async () => {
    const server = await rawServer((socket) => void socket.destroy());
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder });
    expect((await http.get("/")).error?.code).toBe("ECONNRESET");
    expect(server.connections).toBe(1);
    http.close();
    await server.close();
  });

  test("a body larger than maxBodyBytes is drained and counted, and reading it explains the cap", async () => {
    const big = "x".repeat(100_000);
    const server = await rawServer((socket) =>
      socket.write(
        `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${(50_000).toString(16)}\r\n${big.slice(0, 50_000)}\r\n` +
          `${(50_000).toString(16)}\r\n${big.slice(50_000)}\r\n0\r\n\r\n`,
      ),
    );
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: server.url, recorder, maxBodyBytes: 1_000 });
    const response = await http.get("/big");
    expect(response.contentLength).toBe(100_000);
    expect(recorder.only).toMatchObject({ kind: "success", length: 100_000 });
    expect(() => response.text()).toThrow(/100000 bytes, larger than maxBodyBytes \(1000\).*maxBodyBytes/);
    expect(() => response.bytes()).toThrow(expect.objectContaining({ code: "EBODYTOOLARGE" }));
    // ctx.client is made by the worker: the fix a task can apply is its user class's option.
    expect(() => response.text()).toThrow(/http: \{ maxBodyBytes \} on the user class/);
    expect((await http.get("/big")).contentLength).toBe(100_000);
    expect(server.connections).toBe(1);
    http.close();
    await server.close();
  });
});

describe("the user's AbortSignal", () => {
  test("aborting rejects the in-flight request with an AbortError, records nothing and closes sockets", async () => {
    let sawRequest: () => void = () => {};
    const requested = new Promise<void>((resolve) => (sawRequest = resolve));
    const server = await rawServer(() => sawRequest());
    const recorder = new RecordingRecorder();
    const controller = new AbortController();
    const http = new HttpClient({ baseUrl: server.url, recorder, signal: controller.signal });
    const inFlight = http.get("/hangs");
    await requested;
    controller.abort();
    await expect(inFlight).rejects.toMatchObject({ name: "AbortError" });
    expect(http.connectionCount).toBe(0);
    await expect(http.get("/after")).rejects.toMatchObject({ name: "AbortError" });
    expect(recorder.calls).toEqual([]);
    http.close();
    await server.close();
  });
});
