// The HTTP fidelity checks against go-httpbin, a server nobody here wrote, with the endpoints Locust
// users hit; where requests has a rule (redirect methods), requests itself runs the same calls and
// we compare. One suite for every way of talking to it: HTTP/1.1 (httpbin.full.test.ts) and HTTP/2 over
// TLS (h2-httpbin.full.test.ts) must give the same results.
import { describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { HttpClient, type HttpClientOptions } from "../../src/http/index.ts";
import type { Httpbin } from "../support/go-httpbin.ts";
import { requireVenv, VENV_BIN } from "../support/procs.ts";
import { RecordingRecorder } from "./helpers.ts";

/** The checks, against the server `server()` returns once started; every client gets `options`. */
export function httpbinChecks(label: string, server: () => Httpbin, options: Partial<HttpClientOptions> = {}): void {
  function client(own: Partial<HttpClientOptions> = {}): { recorder: RecordingRecorder; http: HttpClient } {
    const recorder = new RecordingRecorder();
    return { recorder, http: new HttpClient({ baseUrl: server().url, recorder, ...options, ...own }) };
  }

  interface Echo {
    method: string;
    data: string;
    url: string;
    args: Record<string, string[]>;
    headers: Record<string, string[]>;
  }

  /** go-httpbin echoes a body without a text Content-Type as a base64 data: URL. */
  function dataOf(echo: Echo): string {
    const match = /^data:[^,]*;base64,(.*)$/.exec(echo.data);
    return match === null ? echo.data : Buffer.from(match[1] as string, "base64").toString("utf8");
  }

  describe(`against go-httpbin, ${label}`, () => {
    const bin = {
      get url() {
        return server().url;
      },
      get port() {
        return server().port;
      },
    };
    test("each method reaches the server with its body; HEAD and OPTIONS work too", async () => {
      const { recorder, http } = client();
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const echo = (await http.request(method, "/anything/m?x=1", method === "GET" ? {} : { body: `body of ${method}` })).json<Echo>();
        expect({ method: echo.method, data: dataOf(echo), x: echo.args.x }).toEqual({
          method,
          data: method === "GET" ? "" : `body of ${method}`,
          x: ["1"],
        });
      }
      const json = (await http.post("/anything", { json: { a: [1, "b"] } })).json<Echo>();
      expect([JSON.parse(json.data), json.headers["Content-Type"]]).toEqual([{ a: [1, "b"] }, ["application/json"]]);
      const head = await http.head("/get");
      expect([head.status, head.bytes().length]).toEqual([200, 0]);
      expect((await http.request("options", "/get")).status).toBe(200);
      expect(recorder.calls.every((c) => c.kind === "success")).toBe(true);
      http.close();
    });

    test("requests' default headers are sent: User-Agent, Accept-Encoding, Accept: */*", async () => {
      const { http } = client();
      const { headers } = (await http.get("/headers")).json<{ headers: Record<string, string[]> }>();
      expect(headers.Accept).toEqual(["*/*"]);
      expect(headers["Accept-Encoding"]).toEqual(["gzip, deflate"]);
      expect(headers["User-Agent"]).toEqual(["loadworker"]);
      const custom = (await http.get("/headers", { headers: { accept: "application/json" } })).json<{
        headers: Record<string, string[]>;
      }>();
      expect(custom.headers.Accept).toEqual(["application/json"]);
      http.close();
    });

    test("every redirect status changes the method and body exactly as python-requests does", async () => {
      requireVenv();
      const statuses = [301, 302, 303, 307, 308];
      const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
      const python = `
import json, sys, requests
s = requests.Session()
__import__("urllib3").disable_warnings()
out = []
for status in ${JSON.stringify(statuses)}:
    for method in ${JSON.stringify(methods)}:
        r = s.request(method, sys.argv[1] + "/redirect-to?url=/anything&status_code=%d" % status, data=None if method == "GET" else b"payload", verify=False)  # the TLS run's certificate is self-signed
        e = r.json()
        data = e["data"]
        if data.startswith("data:"): data = __import__("base64").b64decode(data.split(",", 1)[1]).decode()
        out.append([status, method, e["method"], data, len(r.history)])
print(json.dumps(out))
`;
      const expected = JSON.parse(execFileSync(join(VENV_BIN, "python"), ["-c", python, bin.url], { encoding: "utf8" })) as unknown[];
      const { http } = client();
      const actual: unknown[] = [];
      for (const status of statuses) {
        for (const method of methods) {
          const response = await http.request(
            method,
            `/redirect-to?url=/anything&status_code=${status}`,
            method === "GET" ? {} : { body: "payload" },
          );
          const echo = response.json<Echo>();
          actual.push([status, method, echo.method, dataOf(echo), 1]);
        }
      }
      expect(actual).toEqual(expected);
      // The rules, spelled out: a 301 keeps PUT (without its body) and turns only POST into GET.
      expect(expected).toContainEqual([301, "PUT", "PUT", "", 1]);
      expect(expected).toContainEqual([301, "POST", "GET", "", 1]);
      expect(expected).toContainEqual([307, "PATCH", "PATCH", "payload", 1]);
      http.close();
    });

    test("redirect chains are followed, relative and absolute, and named after the first request", async () => {
      const { recorder, http } = client();
      expect((await http.get("/redirect/3")).url).toBe(`${bin.url}/get`);
      expect((await http.get("/relative-redirect/2")).url).toBe(`${bin.url}/get`);
      expect((await http.get("/absolute-redirect/2")).status).toBe(200);
      const tooMany = await http.get("/redirect/7");
      expect(tooMany.error?.code).toBe("EREDIRECT");
      const manual = await http.get("/redirect/1", { redirect: "manual" });
      expect([manual.status, manual.headers.location]).toEqual([302, "/get"]);
      expect(recorder.calls.map((c) => [c.kind, c.name])).toEqual([
        ["success", "/redirect/3"],
        ["success", "/relative-redirect/2"],
        ["success", "/absolute-redirect/2"],
        ["failure", "/redirect/7"],
        ["success", "/redirect/1"],
      ]);
      http.close();
    });

    test("cookies set along a redirect are sent back, and deleted ones are not", async () => {
      const { http } = client();
      const set = (await http.get("/cookies/set?a=1&b=two")).json<{ cookies: Record<string, string> }>();
      expect(set.cookies).toEqual({ a: "1", b: "two" });
      expect(http.cookies.get("a")).toBe("1");
      const after = (await http.get("/cookies/delete?a")).json<{ cookies: Record<string, string> }>();
      expect(after.cookies).toEqual({ b: "two" });
      http.close();
    });

    test("gzip and deflate bodies are decoded and counted decoded", async () => {
      const { recorder, http } = client();
      for (const coding of ["gzip", "deflate"]) {
        const response = await http.get(`/${coding}`);
        const body = response.json<Record<string, unknown>>();
        expect(body[coding === "gzip" ? "gzipped" : "deflated"]).toBe(true);
        expect(response.contentLength).toBe(response.bytes().length);
      }
      expect(recorder.calls.map((c) => c.length)).toEqual(recorder.calls.map((c) => c.length).filter((n) => n > 0));
      http.close();
    });

    test("streamed, chunked and dripped bodies are read to the end", async () => {
      const { http } = client();
      const lines = (await http.get("/stream/5")).text().trim().split("\n");
      expect(lines.map((line) => (JSON.parse(line) as { id: number }).id)).toEqual([0, 1, 2, 3, 4]);
      expect((await http.get("/stream-bytes/20000?chunk_size=333&seed=1")).bytes().length).toBe(20000);
      expect((await http.get("/drip?numbytes=5&duration=0.2&delay=0")).bytes().length).toBe(5);
      http.close();
    });

    test("credentials in the URL or the base URL are sent as Basic auth, and never named", async () => {
      const { protocol, host } = new URL(bin.url);
      const { recorder, http } = client();
      expect((await http.get(`${protocol}//u:s%3Acret@${host}/basic-auth/u/s:cret`)).status).toBe(200);
      expect((await http.get(`${protocol}//u:wrong@${host}/basic-auth/u/s:cret`)).status).toBe(401);
      http.close();
      const base = client({ baseUrl: `${protocol}//u:pw@${host}` });
      const ok = await base.http.get("/basic-auth/u/pw");
      expect(ok.json<{ authenticated: boolean; user: string }>()).toMatchObject({ authenticated: true, user: "u" });
      expect(ok.url).toBe(`${bin.url}/basic-auth/u/pw`);
      expect((await base.http.get("/hidden-basic-auth/u/pw")).status).toBe(200);
      base.http.close();
      // go-httpbin takes the expected credentials in its path; the userinfo never shows.
      expect([...recorder.calls, ...base.recorder.calls].map((c) => c.name)).toEqual([
        "/basic-auth/u/s:cret",
        "/basic-auth/u/s:cret",
        "/basic-auth/u/pw",
        "/hidden-basic-auth/u/pw",
      ]);
    });

    test("status codes: 4xx and 5xx fail with Locust's text, 1xx-3xx without Location succeed", async () => {
      const { recorder, http } = client();
      for (const status of [200, 204, 304, 418, 503]) await http.get(`/status/${status}`);
      expect(recorder.calls.map((c) => [c.kind, c.error === undefined ? "" : String(c.error)])).toEqual([
        ["success", ""],
        ["success", ""],
        ["success", ""],
        // HTTP/2 has no reason phrase: the standard one stands in (Python's http.HTTPStatus says it so too).
        ["failure", `HTTPError("418 Client Error: I'm a ${options.http2 ? "Teapot" : "teapot"} for url: /status/418")`],
        ["failure", "HTTPError('503 Server Error: Service Unavailable for url: /status/503')"],
      ]);
      http.close();
    });

    test("a slow response times out with ETIMEDOUT; 0 and Infinity mean no timeout and start no timer; huge ones work", async () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on("warning", onWarning);
      try {
        const { http } = client({ timeoutMs: 200 });
        expect((await http.get("/delay/2")).error?.code).toBe("ETIMEDOUT");
        expect((await http.get("/delay/0.4", { timeoutMs: 0 })).status).toBe(200);
        expect((await http.get("/delay/0.4", { timeoutMs: Infinity })).status).toBe(200);
        http.close();
        const never = client({ timeoutMs: Infinity });
        expect((await never.http.get("/delay/0.4")).status).toBe(200);
        never.http.close();
        // Beyond setTimeout's 2^31-1 ms a timer would fire at once: it is capped and re-armed instead.
        const huge = client({ timeoutMs: 2 ** 33 });
        expect((await huge.http.get("/delay/0.4")).status).toBe(200);
        huge.http.close();
      } finally {
        process.off("warning", onWarning);
      }
      expect(warnings).toEqual([]);
    });

    test("a negative timeout is refused with a clear error", async () => {
      expect(() => client({ timeoutMs: -1 })).toThrow(/timeoutMs must be/);
      const { http } = client();
      await expect(http.get("/get", { timeoutMs: Number.NaN })).rejects.toMatchObject({ code: "EINVALIDOPTION" });
      http.close();
    });
  });
}
