import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { httpServer, type TestServer } from "./helpers.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((request, response, body) => {
    if (request.url === "/deno-gzip") {
      response.setHeader("set-cookie", "runtime=deno; Path=/");
      response.setHeader("content-encoding", "gzip");
      return response.end(gzipSync("zipped body"));
    }
    if (request.url === "/deno-cookie") return response.end(request.headers.cookie ?? "(none)");
    response.end(`${request.method} ${request.url} ${body}`);
  });
});
afterAll(() => server.close());

function runDeno(script: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const deno = `${root}node_modules/.bin/deno`;
    execFile(deno, ["run", "-A", script, ...args], { cwd: root, timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`deno failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("under Deno", () => {
  test("the same client code does a GET, a POST, a gzip GET that sets a cookie and one that sends it, over one connection", async () => {
    const out = JSON.parse(await runDeno("test/http/deno-get.ts", server.url));
    expect(out).toEqual({
      runtime: "deno",
      first: "GET /deno ",
      second: 'POST /deno {"from":"deno"}',
      zipped: "zipped body",
      cookie: "runtime=deno",
      calls: [
        { kind: "success", method: "GET", name: "/deno", length: 10, timed: true },
        { kind: "success", method: "POST", name: "/deno", length: 26, timed: true },
        { kind: "success", method: "GET", name: "/deno-gzip", length: 11, timed: true },
        { kind: "success", method: "GET", name: "/deno-cookie", length: 12, timed: true },
      ],
    });
    expect(server.connections).toBe(1);
  }, 30_000);
});
