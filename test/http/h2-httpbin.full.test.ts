// The HTTP fidelity checks that pass over HTTP/1.1 (httpbin-checks.ts), run over HTTP/2 against
// go-httpbin served over TLS: Go's server speaks h2 by ALPN, so every call of the suite is a stream.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HttpClient } from "../../src/http/index.ts";
import { startHttpbin, type Httpbin } from "../support/go-httpbin.ts";
import { RecordingRecorder } from "./helpers.ts";
import { httpbinChecks } from "./httpbin-checks.ts";

let tls: Httpbin;
beforeAll(async () => {
  const fixtures = join(import.meta.dir, "fixtures");
  tls = await startHttpbin({ cert: join(fixtures, "cert.pem"), key: join(fixtures, "key.pem") });
});
afterAll(() => tls.close());

describe("go-httpbin over TLS speaks HTTP/2 to a client that asks for it", () => {
  test("each response is HTTP/2, and 10 calls at once are 10 streams on one connection", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: tls.url, recorder, rejectUnauthorized: false, http2: true });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => http.get(`/anything/${i}`)));
    expect(responses.map((r) => [r.status, r.httpVersion])).toEqual(Array(10).fill([200, "2"]));
    expect(responses.map((r) => r.json<{ url: string }>().url)).toEqual(responses.map((_, i) => `${tls.url}/anything/${i}`));
    expect(http.connectionCount).toBe(1);
    expect(recorder.calls.map((c) => c.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `/anything/${i}`).sort());
    http.close();
  });
});

httpbinChecks("HTTP/2 over TLS", () => tls, { http2: true, rejectUnauthorized: false });
