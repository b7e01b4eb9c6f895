// Credentials in URLs: sent as Basic auth (requests' rule), and never shown with their password in
// a request name, a recorded error, an error message or response.url.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpClient } from "../../src/http/index.ts";
import { basicAuth, maskCredentials, splitCredentials } from "../../src/http/credentials.ts";
import { errorText } from "../../src/stats/errors.ts";
import { httpServer, RecordingRecorder, refusedPort, type TestServer } from "./helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response) => {
    if (request.url === "/loop") {
      response.statusCode = 302;
      response.setHeader("location", `http://u:secret@127.0.0.1:${server.port}/loop`);
      return response.end();
    }
    response.end(JSON.stringify({ url: request.url, auth: request.headers.authorization ?? null }));
  });
});
afterAll(() => server.close());

/** Everything a failed or successful call can show: names, recorded errors as Locust prints them, messages, urls. */
function shown(recorder: RecordingRecorder, ...more: unknown[]): string {
  const texts = recorder.calls.map((c) => `${c.name} ${c.error === undefined ? "" : errorText(c.error)}`);
  for (const item of more) texts.push(item instanceof Error ? `${item.message} ${String(item.cause ?? "")}` : String(item));
  return texts.join("\n");
}

describe("credentials in URLs", () => {
  test("userinfo becomes requests' Basic auth header; percent-escapes are decoded first", () => {
    expect(splitCredentials("http://u:p%40ss@h:1/x?y")).toEqual({ url: "http://h:1/x?y", authorization: basicAuth("u", "p@ss") });
    expect(basicAuth("u", "p@ss")).toBe(`Basic ${Buffer.from("u:p@ss").toString("base64")}`);
    expect(basicAuth("ü", "é")).toBe(`Basic ${Buffer.from([0xfc, 0x3a, 0xe9]).toString("base64")}`); // latin-1, as requests encodes
    expect(splitCredentials("http://a@b:c@h/")).toEqual({ url: "http://h/", authorization: basicAuth("a@b", "c") }); // the last "@" ends it
    expect(splitCredentials("http://h/x@y")).toEqual({ url: "http://h/x@y", authorization: undefined });
  });

  test("maskCredentials hides the whole userinfo of every URL in a text", () => {
    expect(maskCredentials("GET http://u:secret@h/x and https://tok@h2:8/ ok")).toBe("GET http://***@h/x and https://***@h2:8/ ok");
    expect(maskCredentials("no url here, a@b")).toBe("no url here, a@b");
  });

  test("a task URL with credentials authenticates, is named by its path and answers with a clean url", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ recorder });
    const response = await http.get(`http://u:secret@127.0.0.1:${server.port}/x?q=1`);
    expect(response.json<{ auth: string }>().auth).toBe(basicAuth("u", "secret"));
    expect(response.url).toBe(`http://127.0.0.1:${server.port}/x?q=1`);
    expect(recorder.only.name).toBe("/x?q=1");
    http.close();
  });

  test("the base URL's credentials go with every request, and a caller's own Authorization wins", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: `http://u:secret@127.0.0.1:${server.port}/api`, recorder });
    expect((await http.get("/a")).json()).toEqual({ url: "/api/a", auth: basicAuth("u", "secret") });
    expect((await http.get("/b", { headers: { authorization: "Bearer t" } })).json()).toEqual({ url: "/api/b", auth: "Bearer t" });
    expect(recorder.calls.map((c) => c.name)).toEqual(["/api/a", "/api/b"]);
    http.close();
  });

  test("no password in a refused connection, a redirect loop, a bad URL or a closed client", async () => {
    const recorder = new RecordingRecorder();
    const port = await refusedPort();
    const base = new HttpClient({ baseUrl: `http://u:secret@127.0.0.1:${port}`, recorder });
    const refused = await base.get("/down");
    expect(refused.error?.code).toBe("ECONNREFUSED");
    base.close();
    const http = new HttpClient({ recorder });
    const loop = await http.get(`http://u:secret@127.0.0.1:${server.port}/loop`);
    expect(loop.error?.code).toBe("EREDIRECT");
    const bad = await http.get("http://u:secret@[bad/x").catch((error: unknown) => error);
    expect(bad).toMatchObject({ code: "EINVALIDURL" });
    http.close();
    const closed = await http.get(`http://u:secret@127.0.0.1:${server.port}/x`).catch((error: unknown) => error);
    expect(closed).toMatchObject({ code: "ECLOSED" });
    const all = shown(recorder, refused.error, loop.error, loop.url, bad, closed);
    expect(all).toContain("***@");
    expect(all).not.toContain("secret");
    expect(recorder.calls.map((c) => c.name)).toEqual(["/down", "/loop"]);
  });
});
