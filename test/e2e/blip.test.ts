// A network blip (the TCP connection to a master that keeps running is cut, twice) must not cost
// the test its users: after each blip the master still counts the worker's users and requests go
// on. The worker reaches the master through a loopback TCP proxy that the test can cut.
// Masters < 2.19 do not answer heartbeats, so the worker cannot tell a blip from a restart there
// (docs/PROTOCOL.md, Heartbeats and timeouts); scripts/compat.sh runs this against them.
import { describe, expect, test } from "bun:test";
import { type Socket, connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import { waitFor, within } from "../support/wait.ts";

const LOCUSTFILE = "from locust import User, task\n\nclass Hitter(User):\n    @task\n    def t(self):\n        pass\n";
const e2e = useE2e();

interface CutProxy {
  port: number;
  /** Resets every live connection (both sides); new connections are accepted as before. */
  cut(): number;
  close(): Promise<void>;
}

async function cutProxy(targetPort: number): Promise<CutProxy> {
  const live = new Set<Socket>();
  const srv = createServer((down) => {
    const up = connect(targetPort, "127.0.0.1");
    for (const s of [down, up]) {
      live.add(s);
      s.on("close", () => live.delete(s));
      s.on("error", () => (down.destroy(), up.destroy()));
    }
    down.pipe(up);
    up.pipe(down);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const reset = (s: Socket) => (typeof s.resetAndDestroy === "function" ? s.resetAndDestroy() : s.destroy());
  const cut = () => {
    const n = live.size;
    for (const s of [...live]) reset(s);
    return n;
  };
  return {
    port: (srv.address() as AddressInfo).port,
    cut,
    close: () => new Promise((r) => (cut(), srv.close(() => r()))),
  };
}

describe("a worker whose connection to a running master is cut", () => {
  test("keeps its users counted and running after each of two blips", async () => {
    const m = await e2e.uiMaster({ locustfile: LOCUSTFILE });
    const proxy = await cutProxy(m.masterPort);
    e2e.onStop(() => proxy.close());
    const worker = e2e.worker(["--master-port", String(proxy.port)]);
    await waitFor(
      async () => ((await m.stats()).workers?.[0]?.state === "ready" ? true : undefined),
      20_000,
      "the worker to be ready",
      500,
    );
    expect((await m.swarm({ user_count: 2, spawn_rate: 2, host: e2e.server.url })).success).toBe(true);

    const steady = async (what: string) => {
      let before = -1;
      let last: unknown;
      try {
        await waitFor(
          async () => {
            const s = await m.stats();
            last = { state: s.state, user_count: s.user_count, workers: s.workers };
            const hits = s.stats.find((r: { name: string }) => r.name === "/hit")?.num_requests ?? 0;
            const ok = s.state === "running" && s.user_count === 2 && s.workers[0]?.state === "running" && s.workers[0]?.user_count === 2;
            const growing = before >= 0 && hits > before;
            before = ok ? hits : -1;
            return ok && growing ? true : undefined;
          },
          25_000,
          `2 running users and growing requests ${what}`,
          3_000,
        );
      } catch (e) {
        throw new Error(`${(e as Error).message}; the master last said ${JSON.stringify(last)}`);
      }
    };
    await steady("before any blip");
    for (const blip of [1, 2]) {
      expect(proxy.cut()).toBeGreaterThan(0);
      // Past the master's missing-worker limit would be a different test: this is a short outage.
      await new Promise((r) => setTimeout(r, 2_000));
      await steady(`after blip ${blip}`);
    }
    expect(worker.child.exitCode).toBeNull();
    const stopped = await m.stop();
    expect(stopped.success).toBe(true);
    worker.kill("SIGTERM");
    expect(await within(worker.exited, 5000, "the worker to exit on SIGTERM")).toBe(0);
    expect(masterComplaints(m.proc.output())).toEqual([]);
  }, 150_000);
});
