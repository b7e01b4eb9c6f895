// The WebSocket client against Python's `websockets` server (test/peers/ws_server.py): each case
// checks what the task sees and exactly what was recorded.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WebSocketError } from "../../src/websocket/index.ts";
import { refusedPort } from "../support/procs.ts";
import { startPythonWs, type WsPeer, wsUser } from "../support/ws-peers.ts";

let peer: WsPeer;
let plain: WsPeer; // the same server without permessage-deflate
beforeAll(async () => {
  [peer, plain] = await Promise.all([startPythonWs(), startPythonWs({ compression: false })]);
}, 60_000);
afterAll(async () => {
  await Promise.all([peer?.close(), plain?.close()]);
});

function user(host = peer.httpUrl, signal?: AbortSignal) {
  const { recorder, sockets } = wsUser(host, { signal });
  const rows = () => recorder.records.map((r) => `${r.ok ? "ok" : "FAIL"} ${r.method} ${r.name}${r.ok ? ` ${r.detail}` : ""}`);
  return { recorder, sockets, rows };
}

describe("a WebSocket to Python's websockets server", () => {
  test("connects (relative URL to the host, http→ws), echoes a request, and records connect and round trip", async () => {
    const { sockets, rows, recorder } = user();
    const ws = await sockets.connect("/echo?room=1");
    expect(ws.compression).toBe(true);
    expect(await ws.request("hello")).toBe("hello");
    await ws.close();
    expect(rows()).toEqual(["ok WS-conn /echo?room=1 0", "ok WS /echo?room=1 5"]);
    expect(recorder.records.every((r) => r.ms >= 0)).toBe(true);
    expect(sockets.size).toBe(0);
  });

  test("counts send and receive apart from requests, text and binary, compressed or not", async () => {
    for (const server of [peer, plain]) {
      const { sockets, rows } = user();
      const ws = await sockets.connect(`${server.url}/echo`, { name: "echo" });
      expect(ws.compression).toBe(server === peer);
      const big = "é".repeat(1000); // 2,000 bytes: compressed when agreed
      ws.send(big);
      expect(await ws.receive()).toBe(big);
      ws.send(new Uint8Array([0, 1, 2, 255]));
      expect(await ws.receive()).toEqual(new Uint8Array([0, 1, 2, 255]));
      expect(await ws.request(new Uint8Array(70_000).fill(7), { name: "bin" })).toEqual(new Uint8Array(70_000).fill(7));
      await ws.close();
      expect(rows()).toEqual([
        "ok WS-conn echo 0",
        "ok WS-send echo 2000",
        "ok WS-recv echo 2000",
        "ok WS-send echo 4",
        "ok WS-recv echo 4",
        "ok WS bin 70000",
      ]);
    }
  });

  test("request() takes the first message its match accepts; the others stay for receive() as WS-recv", async () => {
    const { sockets, rows } = user();
    const ws = await sockets.connect("/push?n=3");
    expect(await ws.request("x", { name: "wait for x", match: (m) => m === "x" })).toBe("x");
    expect([await ws.receive(), await ws.receive(), await ws.receive()]).toEqual(["push 0", "push 1", "push 2"]);
    await ws.close();
    expect(rows()).toEqual([
      "ok WS-conn /push?n=3 0",
      "ok WS-recv /push?n=3 6",
      "ok WS-recv /push?n=3 6",
      "ok WS-recv /push?n=3 6",
      "ok WS wait for x 1",
    ]);
  });

  test("for await yields messages until the task closes the socket", async () => {
    const { sockets } = user();
    const ws = await sockets.connect("/push?n=4");
    const got: unknown[] = [];
    for await (const message of ws) {
      got.push(message);
      if (got.length === 4) void ws.close();
    }
    expect(got).toEqual(["push 0", "push 1", "push 2", "push 3"]);
  });

  test("answers the server's ping with a pong", async () => {
    const { sockets } = user();
    const ws = await sockets.connect("/ping");
    expect(await ws.request("ping", { timeoutMs: 5_000 })).toBe("pong received");
    await ws.close();
  });

  test("sends headers, URL credentials as Basic auth, and subprotocols; ws.protocol is the server's pick", async () => {
    const { sockets } = user();
    const ws = await sockets.connect(`ws://ann:secret@127.0.0.1:${peer.port}/headers`, {
      headers: { "X-Test": "yes" },
      subprotocols: ["superchat", "chat"],
    });
    expect(ws.protocol).toBe("chat");
    const seen = JSON.parse((await ws.request("?")) as string) as { headers: Record<string, string>; subprotocol: string };
    expect(seen.headers["X-Test"]).toBe("yes");
    expect(seen.headers.Authorization).toBe(`Basic ${btoa("ann:secret")}`);
    expect(seen.subprotocol).toBe("chat");
    await ws.close();
  });

  test("a close by the server fails the request in flight with its code and reason, recorded once", async () => {
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/echo", { name: "closing" });
    const error = await ws.request("close:4000:bye now").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketError);
    expect((error as WebSocketError).code).toBe("ECLOSED");
    expect((error as WebSocketError).recorded).toBe(true);
    const failures = recorder.records.filter((r) => !r.ok);
    expect(failures.map((r) => `${r.method} ${r.name} ${r.detail}`)).toEqual([
      `WS closing the server closed the WebSocket ${peer.url}/echo: code 4000 (application) "bye now"`,
    ]);
    await expect(ws.receive()).rejects.toBe(error as WebSocketError); // later calls: the same error, not recorded again
    expect(() => ws.send("more")).toThrow(error as WebSocketError);
    expect(recorder.records.filter((r) => !r.ok)).toHaveLength(1);
    expect(sockets.size).toBe(0);
  });

  test("sockets grouped under one name fail with one text, not one per URL (one failure row per cause)", async () => {
    const { sockets, recorder } = user();
    for (const [url, name] of [
      ["/echo?user=1", "/echo"],
      ["/echo?user=2", "/echo"],
      ["/echo?user=3", "room"],
    ] as const) {
      const ws = await sockets.connect(url, { name });
      await ws.request("close:1001:restart").catch(() => {});
    }
    expect(recorder.records.filter((r) => !r.ok).map((r) => `${r.name} ${r.detail}`)).toEqual([
      `/echo the server closed the WebSocket ${peer.url}/echo: code 1001 (going away) "restart"`,
      `/echo the server closed the WebSocket ${peer.url}/echo: code 1001 (going away) "restart"`,
      `room the server closed the WebSocket ${peer.url}/echo: code 1001 (going away) "restart"`,
    ]);
  });

  test("a refused upgrade (HTTP 403) is a WS-conn failure naming the status", async () => {
    const { sockets, rows, recorder } = user();
    const error = (await sockets.connect("/refuse").catch((e: unknown) => e)) as WebSocketError;
    expect(error.code).toBe("EUPGRADE");
    expect(rows()).toEqual(["FAIL WS-conn /refuse"]);
    expect(recorder.records[0]?.detail).toBe(`${peer.url}/refuse: the server refused the upgrade: HTTP 403 Forbidden`);
  });

  test("a ws:// port with nothing listening is a WS-conn failure: connection refused", async () => {
    const port = await refusedPort();
    const { sockets, recorder } = user();
    const error = (await sockets.connect(`ws://127.0.0.1:${port}/x`).catch((e: unknown) => e)) as WebSocketError;
    expect(error.code).toBe("ECONNREFUSED");
    expect(recorder.records.map((r) => `${r.ok} ${r.method} ${r.name} ${r.detail}`)).toEqual([
      `false WS-conn /x connection refused by 127.0.0.1:${port}`,
    ]);
  });

  test("a message over maxMessageBytes closes with 1009 and fails the request; the worker goes on", async () => {
    const { sockets, recorder } = user(plain.httpUrl);
    const ws = await sockets.connect("/big?bytes=300000", { maxMessageBytes: 100_000 });
    const error = (await ws.request("give").catch((e: unknown) => e)) as WebSocketError;
    expect(error.code).toBe("ETOOBIG");
    expect(recorder.records.filter((r) => !r.ok).map((r) => r.detail)).toEqual([
      `the server sent a message of more than 100000 bytes (maxMessageBytes); it was not read; closed ${plain.url}/big?bytes=300000 with 1009 (message too big)`,
    ]);
    const next = await sockets.connect("/echo");
    expect(await next.request("still here")).toBe("still here");
    await next.close();
  });

  test("a compressed message that inflates past maxMessageBytes is stopped there (1009)", async () => {
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/big?bytes=300000", { maxMessageBytes: 100_000 });
    expect(((await ws.request("give").catch((e: unknown) => e)) as WebSocketError).code).toBe("ETOOBIG");
    expect(recorder.records.filter((r) => !r.ok).map((r) => r.detail)).toEqual([
      `the server sent a message that inflates past 100000 bytes (maxMessageBytes); closed ${peer.url}/big?bytes=300000 with 1009 (message too big)`,
    ]);
  });

  test("a receive with nothing coming times out as a WS-recv failure; the socket stays usable", async () => {
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/echo");
    const error = (await ws.receive({ timeoutMs: 50 }).catch((e: unknown) => e)) as WebSocketError;
    expect(error.code).toBe("ETIMEDOUT");
    expect(recorder.records.filter((r) => !r.ok).map((r) => `${r.method} ${r.name} ${r.detail}`)).toEqual([
      `WS-recv /echo ${peer.url}/echo: no message within 50 ms`,
    ]);
    expect(await ws.request("after")).toBe("after");
    await ws.close();
  });

  test("the user's signal closes its sockets; calls in flight reject unrecorded", async () => {
    const controller = new AbortController();
    const { sockets, recorder } = user(peer.httpUrl, controller.signal);
    const ws = await sockets.connect("/echo");
    const waiting = ws.receive().catch((e: unknown) => e);
    controller.abort();
    expect(((await waiting) as Error).name).toBe("AbortError");
    expect(sockets.size).toBe(0);
    expect(recorder.records.filter((r) => !r.ok)).toHaveLength(0);
    await expect(sockets.connect("/echo")).rejects.toThrow();
  });
});
