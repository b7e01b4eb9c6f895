// The soak: a real master, a few hundred users of mixed traffic for SOAK_SECONDS (default 600)
// against a local server. After warm-up, the worker's RSS, open file descriptors and sockets
// must stay flat, and the master's total must equal what the server answered.
// Sampling: every SAMPLE_MS, /proc/<pid>/status (VmRSS) and /proc/<pid>/fd (count, and links
// to "socket:"). Flat means the median of the last SAMPLES_COMPARED samples is within the
// tolerance of the median of the first ones after warm-up.
// Short local run: SOAK_SECONDS=60 ./node_modules/.bin/bun test test/soak
import { beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { within } from "../support/wait.ts";

const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const USERS = Number(process.env.SOAK_USERS ?? 300);
const WARMUP_SECONDS = Math.min(60, Math.max(10, SOAK_SECONDS / 5));
const SAMPLES_COMPARED = 6;
// At least four times the samples compared, at most one every 5 s.
const SAMPLE_MS = Math.min(5_000, Math.max(500, ((SOAK_SECONDS - WARMUP_SECONDS) * 1000) / (4 * SAMPLES_COMPARED)));
/** RSS may move a little with the GC; descriptors and sockets hardly at all. */
const RSS_TOLERANCE = 0.1;
const FD_TOLERANCE = 0.03;

const LOCUSTFILE = "from locust import User, task\n\nclass SoakUser(User):\n    @task\n    def t(self):\n        pass\n";

interface Sample {
  at: number;
  rssKb: number;
  fds: number;
  sockets: number;
}

function sample(pid: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  let fds = 0;
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    fds++;
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) sockets++;
    } catch {
      // closed between readdir and readlink: it was not open at the sample's end either
    }
  }
  return { at: Date.now(), rssKb, fds, sockets };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Counts every request it answers by path; redirects land on /landing, which the worker records under /redirect. */
async function soakServer() {
  const counts = new Map<string, number>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/plain", "content-length": String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    req.resume();
    if (path === "/login") return send(200, "welcome\n", { "set-cookie": `sid=${Math.random().toString(36).slice(2)}; Path=/; HttpOnly` });
    if (path === "/cart") return /(?:^|;\s*)sid=/.test(req.headers.cookie ?? "") ? send(200, "your cart\n") : send(401, "log in first\n");
    if (path === "/redirect") return send(302, "", { location: "/landing" });
    if (path === "/fail") return send(500, "failing on purpose\n");
    return send(200, `hello from ${path}\n`);
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 30_000; // users wait up to 1.5 s between requests; keep their connections
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const e2e = useE2e({ tasks: "test/soak/tasks", server: false }); // soakServer answers by path, beyond counting
let server: Awaited<ReturnType<typeof soakServer>>;

beforeAll(async () => {
  server = await soakServer();
  e2e.onStop(() => server.close());
});

describe(`a ${SOAK_SECONDS}s soak with ${USERS} users`, () => {
  test(
    "keeps RSS, file descriptors and sockets flat, and the master's total equals the server's count",
    async () => {
      const m = await e2e.uiMaster({ locustfile: LOCUSTFILE, extra: ["--stop-timeout", "10"] });
      const worker = e2e.worker(["--master-port", String(m.masterPort)]);
      const pid = worker.child.pid as number;
      await m.readyWorkers("the worker to be ready");
      expect((await m.swarm({ user_count: USERS, spawn_rate: 100, host: server.url })).success).toBe(true);

      const started = Date.now();
      const samples: Sample[] = [];
      while (Date.now() - started < SOAK_SECONDS * 1000) {
        await new Promise((r) => setTimeout(r, SAMPLE_MS));
        expect(worker.child.exitCode).toBeNull();
        if (Date.now() - started >= WARMUP_SECONDS * 1000) samples.push(sample(pid));
      }

      const stopped = await m.stop();
      expect(stopped.success).toBe(true);
      // Users finish the task in flight (stop timeout 10 s), the worker flushes its stats, then says it stopped.
      const final = await m.readyWorkers("the master to stop and the worker to be ready again", { stopped: true });
      const aggregated = final.stats.find((r: { name: string }) => r.name === "Aggregated");
      const rows = new Map<string, { num_requests: number; num_failures: number }>(final.stats.map((r: { name: string }) => [r.name, r]));
      const landings = server.counts.get("/landing") ?? 0;
      const served = [...server.counts.values()].reduce((a, b) => a + b, 0) - landings;
      const report = {
        seconds: SOAK_SECONDS,
        users: USERS,
        served,
        masterTotal: aggregated?.num_requests,
        failures: aggregated?.num_failures,
        samples: samples.length,
        rssKb: [samples[0]?.rssKb, samples.at(-1)?.rssKb, Math.max(...samples.map((s) => s.rssKb))],
        fds: [Math.min(...samples.map((s) => s.fds)), Math.max(...samples.map((s) => s.fds))],
        sockets: [Math.min(...samples.map((s) => s.sockets)), Math.max(...samples.map((s) => s.sockets))],
      };
      console.log(`soak: ${JSON.stringify(report)}`);
      if (process.env.SOAK_SERIES)
        console.log(
          `soak samples: ${JSON.stringify(samples.map((s) => [Math.round((s.at - started) / 1000), s.rssKb, s.fds, s.sockets]))}`,
        );

      // Every request the worker made was answered by the server and counted by the master.
      expect(aggregated?.num_requests).toBe(served);
      expect(rows.get("/redirect")?.num_requests).toBe(landings);
      expect(rows.get("/cart")?.num_failures).toBe(0); // the login cookie went along every time
      expect(rows.get("/fail")?.num_failures).toBe(server.counts.get("/fail"));
      expect(rows.get("/ok")?.num_failures).toBe(0);
      const exceptions = await (await fetch(`${m.url}/exceptions`)).json();
      expect(JSON.stringify(exceptions)).toContain("soak: a task that throws");

      expect(samples.length).toBeGreaterThanOrEqual(2 * SAMPLES_COMPARED);
      const first = samples.slice(0, SAMPLES_COMPARED);
      const last = samples.slice(-SAMPLES_COMPARED);
      const flat = (key: "rssKb" | "fds" | "sockets", tolerance: number) => {
        const before = median(first.map((s) => s[key]));
        const after = median(last.map((s) => s[key]));
        return { key, before, after, flat: Math.abs(after - before) <= Math.max(2, before * tolerance) };
      };
      expect([flat("rssKb", RSS_TOLERANCE), flat("fds", FD_TOLERANCE), flat("sockets", FD_TOLERANCE)].filter((r) => !r.flat)).toEqual([]);
      expect(masterComplaints(m.proc.output())).toEqual([]);

      worker.kill("SIGTERM");
      expect(await within(worker.exited, 10_000, "the worker to exit on SIGTERM")).toBe(0);
    },
    (SOAK_SECONDS + 300) * 1000,
  );
});
