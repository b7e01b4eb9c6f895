// The client against go-httpbin over HTTP/1.1 (the checks: httpbin-checks.ts), and over TLS.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { HttpClient } from "../../src/http/index.ts";
import { startHttpbin, type Httpbin } from "../support/go-httpbin.ts";
import { RecordingRecorder } from "./helpers.ts";
import { httpbinChecks } from "./httpbin-checks.ts";

let bin: Httpbin;
beforeAll(async () => {
  bin = await startHttpbin();
});
afterAll(() => bin.close());

httpbinChecks("HTTP/1.1", () => bin);

describe("against go-httpbin over TLS", () => {
  let tls: Httpbin;
  beforeAll(async () => {
    const fixtures = join(import.meta.dir, "fixtures");
    tls = await startHttpbin({ cert: join(fixtures, "cert.pem"), key: join(fixtures, "key.pem") });
  });
  afterAll(() => tls.close());

  test("HTTPS works with rejectUnauthorized: false over one connection, and a self-signed cert is ETLS by default", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: tls.url, recorder, rejectUnauthorized: false });
    expect((await http.get("/get")).json<{ url: string }>().url).toBe(`${tls.url}/get`);
    expect((await http.get("/gzip")).json<{ gzipped: boolean }>().gzipped).toBe(true);
    expect(http.connectionCount).toBe(1);
    http.close();
    const strict = new HttpClient({ baseUrl: tls.url, recorder });
    expect((await strict.get("/get")).error?.code).toBe("ETLS");
    strict.close();
  });
});
