import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { HttpClient } from "../../src/http/index.ts";
import { RecordingRecorder, trackServer, type TestServer } from "./helpers.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let server: TestServer;
beforeAll(async () => {
  const https = createServer({ key: fixture("key.pem"), cert: fixture("cert.pem") }, (request, response) => {
    response.end(`secure ${request.url}`);
  });
  server = await trackServer(https, "https");
});
afterAll(() => server.close());

describe("HTTPS", () => {
  test("with rejectUnauthorized: false a self-signed server is reached over one kept-alive connection", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: `https://localhost:${server.port}`, recorder, rejectUnauthorized: false });
    expect((await http.get("/a")).text()).toBe("secure /a");
    expect((await http.get("/b")).text()).toBe("secure /b");
    expect(server.connections).toBe(1);
    expect(recorder.calls.map((c) => c.kind)).toEqual(["success", "success"]);
    http.close();
  });

  test("by default a self-signed certificate is rejected as an ETLS failure", async () => {
    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: `https://localhost:${server.port}`, recorder });
    const response = await http.get("/a");
    expect(response.status).toBe(0);
    expect(response.error?.code).toBe("ETLS");
    expect(response.error?.message).toContain(`localhost:${server.port}`);
    expect(recorder.only).toMatchObject({ kind: "failure", name: "/a" });
    http.close();
  });
});
