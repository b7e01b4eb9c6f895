// A password in a URL (in a task, or in the host the master sends) is sent as Basic auth and shows
// nowhere: not in the master's CSV files, /stats/requests, /exceptions, nor the worker's log. The
// worker's own host may come from LOADWORKER_HOST (Locust's LOCUST_HOST), off its command line.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { freePort, tempDir } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Leaky(User):\n    @task\n    def t(self):\n        pass\n";
const BASIC = `Basic ${Buffer.from("u:secret").toString("base64")}`;
const e2e = useE2e({ tasks: "test/e2e/credentials-tasks", server: false, stop: "each" });
let server: Server;
let port: number;
const auth = new Map<string, string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    auth.set(req.url ?? "", req.headers.authorization ?? "none");
    if (req.url === "/loop") res.writeHead(302, { location: `http://u:secret@127.0.0.1:${port}/loop` });
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe("credentials in URLs under a real master", () => {
  test("authenticate, and leave no password in the master's CSV, /stats/requests, /exceptions or the worker log", async () => {
    const dir = tempDir("credentials");
    const ui = await e2e.uiMaster({ locustfile: LOCUSTFILE, dir, extra: ["--csv", join(dir, "run")] });
    const env = { E2E_SECRET_PORT: String(port), E2E_REFUSED_PORT: String(await freePort()) };
    const worker = e2e.worker(["--master-port", String(ui.masterPort)], { env });
    await ui.readyWorkers("the worker to be ready", { ms: 20_000 });
    expect((await ui.swarm({ user_count: 2, spawn_rate: 2, host: `http://u:secret@127.0.0.1:${port}` })).success).toBe(true);

    const names = ["/x", "/y", "/down", "/loop"];
    const stats = await waitFor(
      async () => {
        const s = await ui.stats();
        const rows = names.map((name) => s.stats.find((r: { name: string }) => r.name === name));
        return rows.every((r) => r?.num_requests > 2) ? s : undefined;
      },
      30_000,
      "every task's row in /stats/requests",
      500,
    );
    const exceptions = await waitFor(
      async () => {
        const e = (await (await fetch(`${ui.url}/exceptions`)).json()) as { exceptions?: unknown[] };
        return (e.exceptions?.length ?? 0) > 0 ? e : undefined;
      },
      20_000,
      "the bad URL's exception in /exceptions",
      500,
    );
    await ui.stop();
    // The CSV writer runs every second; after /stop the files hold the rows seen above.
    const csv = await waitFor(
      () => {
        const text = ["stats", "failures", "exceptions"].map((kind) => readFileSync(join(dir, `run_${kind}.csv`), "utf8")).join("\n");
        return text.includes("/loop") && text.includes("cannot parse URL") ? text : undefined;
      },
      20_000,
      "the master's CSV files with the failures and the exception",
      500,
    );
    worker.kill("SIGTERM");
    await within(worker.exited, 10_000, "the worker to exit");

    // The password was sent, as Basic auth, from the task's URL and from the master's host.
    expect(auth.get("/x")).toBe(BASIC);
    expect(auth.get("/y")).toBe(BASIC);
    // ... and it shows nowhere, while the failures and the exception do.
    expect(JSON.stringify(stats.errors)).toContain("connection refused");
    expect(JSON.stringify(stats.errors)).toContain("more than 5 redirects");
    expect(JSON.stringify(exceptions)).toContain("cannot parse URL");
    expect(csv).toContain("***@");
    for (const [where, text] of [
      ["/stats/requests", JSON.stringify(stats)],
      ["/exceptions", JSON.stringify(exceptions)],
      ["the CSV files", csv],
      ["the worker log", worker.output()],
    ] as const) {
      expect({ where, leaks: text.includes("secret") }).toEqual({ where, leaks: false });
    }
    expect(masterComplaints(ui.proc.output())).toEqual([]);
  }, 150_000);
});

describe("the worker's host in LOADWORKER_HOST under a real master", () => {
  test("a swarm without a host uses it: requests authenticate, and the worker's command line holds no password", async () => {
    auth.clear();
    const dir = tempDir("credentials-env");
    const master = await e2e.uiMaster({ locustfile: LOCUSTFILE, dir });
    const env = {
      E2E_SECRET_PORT: String(port),
      E2E_REFUSED_PORT: String(await freePort()),
      LOADWORKER_HOST: `http://u:secret@127.0.0.1:${port}`,
    };
    const worker = e2e.worker(["--master-port", String(master.masterPort)], { env });
    const ui = master;
    await ui.readyWorkers("the worker to be ready", { ms: 20_000 });
    expect((await ui.swarm({ user_count: 1, spawn_rate: 1 })).success).toBe(true);
    await waitFor(() => auth.get("/y"), 20_000, "the relative request /y");
    const cmdline = readFileSync(`/proc/${worker.child.pid}/cmdline`, "utf8");
    await ui.stop();
    worker.kill("SIGTERM");
    await within(worker.exited, 10_000, "the worker to exit");
    expect(auth.get("/y")).toBe(BASIC); // the relative URL went to LOADWORKER_HOST, with its credentials
    expect(cmdline).toContain(String(master.masterPort)); // the worker's own command line, read while it ran
    expect(cmdline).not.toContain("secret");
    expect(worker.output()).not.toContain("secret");
  }, 150_000);
});
