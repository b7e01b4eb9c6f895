// HTTP/2 in worker mode and in `run`, in the compiled binary: a class with http: { http2: true }
// (test/http/h2-tasks) against Debian's nginx over TLS. The master's totals equal nginx's count of
// the requests, and nginx's own connection numbers show one connection per user, each carrying
// every one of its user's streams. `run` under Deno from the sources does the same.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints, parseStatsCsv } from "../support/master.ts";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { ROOT, tempDir } from "../support/procs.ts";
import { run, type Runner } from "../support/run-cli.ts";
import { waitFor, within } from "../support/wait.ts";
import { BATCH, ROUNDS } from "./h2-tasks/h2.ts";

const TASKS = "test/http/h2-tasks";
const e2e = useE2e({ tasks: TASKS, server: false, stop: "each" });
let nginx: Nginx;
beforeAll(async () => {
  nginx = await startNginx(`location = /h2 { default_type text/plain; return 200 "over h2\\n"; }`);
}, 30_000);
afterAll(async () => {
  await nginx?.close();
});

/** nginx's access-log lines for /h2 after line `from`, once there are `count` (it logs after the response left). */
async function servedSince(from: number, count: number) {
  const lines = await waitFor(
    () => {
      const found = nginx
        .requests()
        .slice(from)
        .filter((r) => r.path === "/h2");
      return found.length >= count ? found : undefined;
    },
    10_000,
    `${count} requests for /h2 in nginx's access log`,
  );
  const perConnection = new Map<number, number>();
  for (const line of lines) perConnection.set(line.connection, (perConnection.get(line.connection) ?? 0) + 1);
  return {
    requests: lines.length,
    protocols: [...new Set(lines.map((r) => r.protocol))],
    statuses: [...new Set(lines.map((r) => r.status))],
    streamsPerConnection: [...perConnection.values()],
  };
}

const USERS = 4;
const CALLS = USERS * ROUNDS * BATCH;
/** What nginx must have seen for one run: every call over HTTP/2, one connection per user. */
const ONE_CONNECTION_PER_USER = {
  requests: CALLS,
  protocols: ["HTTP/2.0"],
  statuses: [200],
  streamsPerConnection: Array(USERS).fill(ROUNDS * BATCH),
};

describe("HTTP/2 in the compiled worker", () => {
  test("at a real Locust master: the master's totals are nginx's count, over one connection per user", async () => {
    const from = nginx.requests().length;
    const run = await e2e.headlessMaster({
      locustfile: "from locust import User, task\n\nclass H2User(User):\n    @task\n    def t(self):\n        pass\n",
      users: USERS,
      spawnRate: USERS,
      runTime: "6s",
      host: nginx.tlsUrl,
    });
    const worker = e2e.worker(["--master-port", String(run.port)], { env: { NO_COLOR: "1" } });
    const result = await run.result();
    expect(await within(worker.exited, 20_000, "the worker to exit")).toBe(0);
    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.exceptionsCsv.trim().split("\n")).toHaveLength(1); // the header: every response was HTTP/2
    expect(result.rows.find((r) => r.name === "/h2")).toMatchObject({ type: "GET", requests: CALLS, failures: 0 });
    expect(result.aggregated.requests).toBe(CALLS);
    expect(await servedSince(from, CALLS)).toEqual(ONE_CONNECTION_PER_USER);
  }, 180_000);

  for (const kind of ["binary", "deno"] as const) {
    test(`in loadworker run (${kind === "binary" ? "the compiled binary" : "the sources under Deno"}): the same counts`, async () => {
      const from = nginx.requests().length;
      const runner: Runner = kind === "binary" ? e2e.binary : { kind: "deno" };
      const dir = tempDir("h2-run");
      const args = ["-u", String(USERS), "-r", String(USERS), "-t", "5s", "--host", nginx.tlsUrl, "--csv", join(dir, "run")];
      const result = await run(runner, args, kind === "binary" ? {} : { LOADWORKER_TASKS_DIR: join(ROOT, TASKS) });
      if (result.code !== 0) console.error(result.stderr);
      expect(result.code).toBe(0);
      const rows = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"));
      expect(rows.find((r) => r.name === "/h2")).toMatchObject({ type: "GET", requests: CALLS, failures: 0 });
      expect(readFileSync(join(dir, "run_exceptions.csv"), "utf8").trim().split("\n")).toHaveLength(1);
      expect(await servedSince(from, CALLS)).toEqual(ONE_CONNECTION_PER_USER);
    }, 120_000);
  }
});
