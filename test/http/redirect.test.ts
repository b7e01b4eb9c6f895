import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpClient } from "../../src/http/index.ts";
import { httpServer, RecordingRecorder, type TestServer } from "./helpers.ts";

let server: TestServer;
let other: TestServer;
beforeAll(async () => {
  other = await httpServer((request, response, body) => {
    response.end(
      JSON.stringify({ at: "other", method: request.method, url: request.url, body, auth: request.headers.authorization ?? null }),
    );
  });
  server = await httpServer((request, response, body) => {
    const url = new URL(request.url ?? "/", "http://x");
    const to = (status: number, location: string) => {
      response.statusCode = status;
      response.setHeader("location", location);
      response.end("redirecting");
    };
    if (url.pathname === "/relative") return to(302, "/final?from=relative");
    if (url.pathname === "/absolute") return to(301, `${server.url}/final?from=absolute`);
    if (url.pathname === "/see-other") return to(303, "/final");
    if (url.pathname === "/temporary") return to(307, "/final");
    if (url.pathname === "/permanent") return to(308, "/final");
    if (url.pathname === "/elsewhere") return to(302, `${other.url}/landed`);
    if (url.pathname === "/loop") return to(302, "/loop");
    if (url.pathname === "/chain") {
      const n = Number(url.searchParams.get("n"));
      return n > 0 ? to(302, `/chain?n=${n - 1}`) : response.end("end of chain");
    }
    response.end(JSON.stringify({ at: "server", method: request.method, url: request.url, body }));
  });
});
afterAll(async () => {
  await server.close();
  await other.close();
});

type Echo = { at: string; method: string; url: string; body: string; auth: string | null };

function client() {
  const recorder = new RecordingRecorder();
  return { recorder, http: new HttpClient({ baseUrl: server.url, recorder }) };
}

describe("redirects", () => {
  test("a relative Location is followed and recorded once under the original name", async () => {
    const { recorder, http } = client();
    const response = await http.get("/relative");
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.url}/final?from=relative`);
    expect(response.json<Echo>().url).toBe("/final?from=relative");
    expect(recorder.only).toMatchObject({ kind: "success", method: "GET", name: "/relative", length: response.contentLength });
    http.close();
  });

  test("an absolute Location is followed", async () => {
    const { http } = client();
    expect((await http.get("/absolute")).json<Echo>().url).toBe("/final?from=absolute");
    http.close();
  });

  test("303 turns a POST into a GET without the body, and is recorded as the POST", async () => {
    const { recorder, http } = client();
    const echo = (await http.post("/see-other", { body: "payload" })).json<Echo>();
    expect(echo).toMatchObject({ method: "GET", body: "" });
    expect(recorder.only).toMatchObject({ method: "POST", name: "/see-other" });
    http.close();
  });

  test("307 and 308 repeat the method and the body", async () => {
    const { http } = client();
    expect((await http.post("/temporary", { json: { a: 1 } })).json<Echo>()).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect((await http.put("/permanent", { body: "again" })).json<Echo>()).toMatchObject({ method: "PUT", body: "again" });
    http.close();
  });

  test("a redirect to another origin is followed without the Authorization header", async () => {
    const { http } = client();
    const echo = (await http.get("/elsewhere", { headers: { Authorization: "secret" } })).json<Echo>();
    expect(echo).toMatchObject({ at: "other", url: "/landed", auth: null });
    http.close();
  });

  test("redirect: manual returns the 3xx itself", async () => {
    const { recorder, http } = client();
    const response = await http.get("/relative", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe("/final?from=relative");
    expect(recorder.only.kind).toBe("success");
    http.close();
  });

  test("exactly maxRedirects hops are followed", async () => {
    const { http } = client();
    expect((await http.get("/chain?n=5")).text()).toBe("end of chain");
    http.close();
  });

  test("a redirect loop becomes an EREDIRECT failure after maxRedirects", async () => {
    const { recorder, http } = client();
    const response = await http.get("/loop");
    expect(response.status).toBe(0);
    expect(response.error?.code).toBe("EREDIRECT");
    expect(recorder.only).toMatchObject({ kind: "failure", name: "/loop", error: response.error });
    http.close();
  });
});
