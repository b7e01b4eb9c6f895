// examples/http2 as its README runs it: serve.sh's nginx over TLS, then `loadworker run --tasks
// examples/http2`. Every call is a success over HTTP/2 (the task fails any other version), and
// nginx's access log shows one connection per user carrying all of that user's streams.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { aggregated, example, loadworkerRun } from "../support/examples.ts";
import { freePort, type Proc, ROOT, startProc } from "../support/procs.ts";
import { summaryCounts } from "../support/run-cli.ts";
import { waitFor } from "../support/wait.ts";

const USERS = 5;
let server: Proc;
let url: string;
let accessLog: string;
beforeAll(async () => {
  execFileSync(join(ROOT, "scripts/lib/nginx.sh"), { stdio: ["ignore", "ignore", "inherit"] }); // installs nginx once
  const port = await freePort();
  server = startProc("bash", [join(ROOT, example("http2"), "serve.sh"), String(port)]);
  accessLog = await waitFor(() => /access log: (\S+)\)/.exec(server.output())?.[1], 10_000, "serve.sh to start nginx");
  url = `https://127.0.0.1:${port}`;
  await waitFor(
    async () => ((await fetch(url, { tls: { rejectUnauthorized: false } }).catch(() => undefined))?.ok ? true : undefined),
    10_000,
    "nginx to answer",
  );
  // nginx logs a request after it has answered it: wait for the readiness call's line, so the test's
  // count of lines before its run cannot take that line for one of the run's.
  await waitFor(() => readFileSync(accessLog, "utf8").includes("HTTP/1.1") || undefined, 10_000, "the readiness call in the access log");
}, 60_000);
afterAll(async () => {
  server?.kill();
  await server?.exited;
});

describe("examples/http2", () => {
  test("run --tasks: every widget call over HTTP/2, one connection per user", async () => {
    const before = readFileSync(accessLog, "utf8").split("\n").filter(Boolean).length;
    const args = ["run", "--tasks", example("http2"), "-u", String(USERS), "-r", String(USERS), "-t", "3s", "--host", url];
    const { code, output } = await loadworkerRun(args);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(aggregated(output).failures).toBe(0);
    const counts = summaryCounts(output);
    const pages = counts.get("GET /") ?? 0;
    expect(pages).toBeGreaterThanOrEqual(USERS);
    // Ten widgets a page; a user stopped by the end of the run may leave its last page's unrecorded.
    const widgets = counts.get("GET /api/widgets/[name]") ?? 0;
    expect(widgets).toBeLessThanOrEqual(10 * pages);
    expect(widgets).toBeGreaterThanOrEqual(10 * (pages - USERS));
    const lines = readFileSync(accessLog, "utf8")
      .split("\n")
      .filter(Boolean)
      .slice(before)
      .map((line) => line.split(" "));
    expect(new Set(lines.map(([, , protocol]) => protocol))).toEqual(new Set(["HTTP/2.0"]));
    expect(new Set(lines.map(([, connection]) => connection)).size).toBe(USERS);
    expect(lines.length).toBeGreaterThanOrEqual(11 * pages); // the served count: a call cut off by the end may be served, not recorded
  }, 90_000);
});
