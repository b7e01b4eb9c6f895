import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { startDemoTarget, type DemoTarget } from "../../src/demo/target.ts";

let target: DemoTarget;
let base: string;

beforeAll(async () => {
  target = await startDemoTarget({ port: 0, bind: "127.0.0.1" });
  base = `http://127.0.0.1:${target.port}`;
});
afterAll(async () => {
  await target?.close();
});

async function login(username = "ada"): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "x" }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { token: string; user: string };
  expect(body.user).toBe(username);
  return body.token;
}

describe("the demo target", () => {
  test("answers / with a JSON list of its endpoints", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { endpoints: string[] }).endpoints).toContain("POST /login");
  });

  test("echoes query args and headers on /get like httpbin", async () => {
    const res = await fetch(`${base}/get?a=1&b=two`, { headers: { "x-probe": "yes" } });
    const body = (await res.json()) as { args: Record<string, string>; headers: Record<string, string>; url: string };
    expect(body.args).toEqual({ a: "1", b: "two" });
    expect(body.headers["x-probe"]).toBe("yes");
    expect(body.url).toContain("/get?a=1&b=two");
  });

  test("issues a token on POST /login that unlocks /api/items", async () => {
    const token = await login();
    const list = await fetch(`${base}/api/items`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const one = await fetch(`${base}/api/items/7`, { headers: { authorization: `Bearer ${token}` } });
    expect(await one.json()).toMatchObject({ id: 7, name: "item-7" });
    const missing = await fetch(`${base}/api/items/9999`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
  });

  test("takes the name from a `user` field as well", async () => {
    const res = await fetch(`${base}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"user":"kim"}' });
    expect(((await res.json()) as { user: string }).user).toBe("kim");
  });

  test("accepts a form-encoded login too", async () => {
    const res = await fetch(`${base}/login`, { method: "POST", body: new URLSearchParams({ username: "bob" }) });
    expect(((await res.json()) as { user: string }).user).toBe("bob");
  });

  test("answers 401 on /api/items without a token or with a forged one", async () => {
    expect((await fetch(`${base}/api/items`)).status).toBe(401);
    const forged = (await login("eve")).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await fetch(`${base}/api/items/1`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  });

  test("answers /status/:code with that code and rejects codes outside 200..599", async () => {
    expect((await fetch(`${base}/status/503`)).status).toBe(503);
    expect((await fetch(`${base}/status/204`)).status).toBe(204);
    expect((await fetch(`${base}/status/404`)).status).toBe(404);
    expect((await fetch(`${base}/status/100`)).status).toBe(400);
  });

  test("waits on /delay/:ms", async () => {
    expect(await (await fetch(`${base}/delay/20`)).json()).toEqual({ delayed_ms: 20 });
  });

  test("caps /delay at its bound", async () => {
    const small = await startDemoTarget({ port: 0, bind: "127.0.0.1", maxDelayMs: 30 });
    try {
      expect(await (await fetch(`http://127.0.0.1:${small.port}/delay/999999`)).json()).toEqual({ delayed_ms: 30 });
    } finally {
      await small.close();
    }
  });

  test("answers 404 for unknown routes and wrong methods", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/login`)).status).toBe(404);
  });

  test("counts requests per path on /__stats, not counting itself", async () => {
    const before = (await (await fetch(`${base}/__stats`)).json()) as { total: number; paths: Record<string, number> };
    await fetch(`${base}/get`);
    await fetch(`${base}/get`);
    const after = (await (await fetch(`${base}/__stats`)).json()) as { total: number; paths: Record<string, number> };
    expect(after.total).toBe(before.total + 2);
    expect(after.paths["/get"]).toBe((before.paths["/get"] ?? 0) + 2);
    expect(after.paths["/__stats"]).toBeUndefined();
    expect(target.count()).toBe(after.total);
  });

  test("serves two requests on one kept-alive connection", async () => {
    const socket = connect(target.port, "127.0.0.1");
    let received = "";
    const responses = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if ((received.match(/HTTP\/1\.1 200/g) ?? []).length >= n) resolve();
        };
        socket.on("data", (chunk) => {
          received += chunk.toString();
          check();
        });
        socket.once("error", reject);
        check();
      });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write("GET /get HTTP/1.1\r\nHost: demo\r\n\r\n");
    await responses(1);
    expect(socket.destroyed).toBe(false);
    socket.write("GET /get HTTP/1.1\r\nHost: demo\r\n\r\n");
    await responses(2);
    socket.destroy();
  });

  test("reports a taken port as a usage error naming the port", async () => {
    const promise = startDemoTarget({ port: target.port, bind: "127.0.0.1" });
    await expect(promise).rejects.toThrow(`port ${target.port} on 127.0.0.1 is already in use`);
  });

  test("closes promptly even with a delayed request in flight", async () => {
    const other = await startDemoTarget({ port: 0, bind: "127.0.0.1" });
    const pending = fetch(`http://127.0.0.1:${other.port}/delay/10000`).catch((error: unknown) => error);
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
