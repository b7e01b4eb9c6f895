// Request names and Basic auth, checked against the real thing: Locust's HttpUser (from .venv)
// requests the same URLs from the same server as our client, and both stats must agree.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HttpClient } from "../../src/http/index.ts";
import { parseStatsCsv } from "../support/master.ts";
import { requireVenv, startProc, tempDir, VENV_BIN } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { httpServer, RecordingRecorder, type TestServer } from "./helpers.ts";

const LOCUSTFILE = `
import json, os
from locust import HttpUser, task, constant
from locust.exception import StopUser

class Once(HttpUser):
    wait_time = constant(0)

    @task
    def all_urls(self):
        for url in json.loads(os.environ["URLS"]):
            self.client.get(url)
        raise StopUser()
`;

let server: TestServer;
const seen: { client: string; url: string; auth: string }[] = [];
beforeAll(async () => {
  server = await httpServer((request, response) => {
    seen.push({
      client: String(request.headers["user-agent"]).startsWith("python") ? "locust" : "ours",
      url: request.url ?? "",
      auth: request.headers.authorization ?? "",
    });
    if (request.url === "/base/redirect") {
      response.statusCode = 302;
      response.setHeader("location", "/final");
    }
    response.end("ok");
  });
});
afterAll(() => server.close());

describe("request names, against Locust's HttpUser", () => {
  test("relative, absolute, odd and credentialed URLs get the same names and the same Authorization", async () => {
    requireVenv();
    const port = server.port;
    const host = `http://u:secret@127.0.0.1:${port}/base`;
    const urls = [
      "/x?a=b c",
      "/a/../y",
      "/redirect",
      `http://127.0.0.1:${port}/abs?q='1'|`,
      `http://v:pw@127.0.0.1:${port}/creds`,
      "/é%41",
    ];

    const dir = tempDir("locust-names");
    writeFileSync(join(dir, "locustfile.py"), LOCUSTFILE);
    const args = [
      "-f",
      "locustfile.py",
      "--headless",
      "-u",
      "1",
      "-r",
      "1",
      "-t",
      "3s",
      "--host",
      host,
      "--csv",
      "run",
      "--only-summary",
      "--exit-code-on-error",
      "0",
    ];
    const locust = startProc(join(VENV_BIN, "locust"), args, { cwd: dir, env: { URLS: JSON.stringify(urls) } });
    expect(await within(locust.exited, 60_000, "Locust to finish")).toBe(0);
    const theirs = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"))
      .filter((r) => r.name !== "Aggregated")
      .map((r) => r.name);

    const recorder = new RecordingRecorder();
    const http = new HttpClient({ baseUrl: host, recorder });
    for (const url of urls) await http.get(url);
    http.close();
    const ours = recorder.calls.map((c) => c.name);

    expect([...ours].sort()).toEqual([...theirs].sort());
    expect(ours).toEqual(["/base/x?a=b%20c", "/base/y", "/base/redirect", "/abs?q='1'%7C", "/creds", "/base/%C3%A9A"]);
    // Both sent the host's credentials with every request (the redirect's second hop included).
    const byClient = (client: string) => seen.filter((s) => s.client === client).map((s) => `${s.url} ${s.auth}`);
    expect(byClient("ours")).toEqual(byClient("locust"));
    expect(new Set(seen.map((s) => s.auth))).toEqual(new Set([`Basic ${Buffer.from("u:secret").toString("base64")}`]));
  }, 90_000);
});
