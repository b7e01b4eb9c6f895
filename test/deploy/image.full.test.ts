// The image, run as the seed's users run it: docker run, open the web UI, start a swarm at the demo
// target, see both seed tasks counted, the health check turn healthy (with TLS on too), and docker
// stop end it cleanly with the workers' last stats. Host network only (no bridge on these
// machines), so the image's own ports are taken on the host: the test says so if another process
// holds one.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.ts";
import { listeningAddresses } from "../support/listeners.ts";
import { NotYet, waitFor } from "../support/wait.ts";
import {
  docker,
  dockerUnavailable,
  imagePorts,
  releaseDocker,
  requirePortsFree,
  runContainer,
  testImage,
  uiJson,
  useDocker,
} from "./docker.ts";

const SEED_TASKS = ["压测MockApi", "压测HttpBin"]; // tasks/seed.ts
const skip = dockerUnavailable();
if (skip) console.warn(`skipping the image smoke test: ${skip}`);

const ports = imagePorts();
const ui = (path: string) => `http://127.0.0.1:${ports.web}${path}`;
const name = `loadworker-smoke-${process.pid}`;
let image = "";

interface Stats {
  state: string;
  user_count: number;
  workers: { id: string; state: string }[];
  stats: { name: string; num_requests: number }[];
}
const stats = () => uiJson<Stats>(ui("/stats/requests"));
const inspect = async (format: string) => (await docker(["inspect", "-f", format, name])).stdout.trim();

describe.skipIf(skip !== undefined)("the image, run with docker run", () => {
  beforeAll(async () => {
    await useDocker(); // removes containers an earlier run left holding the ports
    await requirePortsFree(ports); // before the build: a busy port fails at once
    image = await testImage();
    await requirePortsFree(ports);
    const started = await runContainer(name, [image]);
    expect(started.code, started.stderr).toBe(0);
  }, 900_000);

  afterAll(async () => {
    await docker(["rm", "-f", name]);
    await releaseDocker();
  }, 90_000);

  test("serves the web UI, as the image's non-root user, with every supervisord program RUNNING", async () => {
    await waitFor(async () => ((await fetch(ui("/"))).ok ? true : new NotYet("not 200")), 60_000, "the web UI", 500);
    const user = await inspect("{{.Config.User}}");
    expect(user).not.toMatch(/^(|root|0)$/);
    expect((await docker(["exec", name, "id", "-u"])).stdout.trim()).toBe(user);
    const status = await waitFor(
      async () => {
        const ran = await docker(["exec", name, "supervisorctl", "status"]);
        const lines = ran.stdout.trim().split("\n");
        return lines.every((l) => /\sRUNNING\s/.test(l)) ? lines : new NotYet(ran.stdout + ran.stderr);
      },
      30_000,
      "every program RUNNING",
      500,
    );
    const programs = status.map((l) => l.split(/\s+/)[0]);
    expect(programs).toContain("demo");
    expect(programs).toContain("locust");
    expect(programs.some((p) => p?.startsWith("loadworker"))).toBe(true);
  }, 120_000);

  test("the master takes workers on 127.0.0.1 only, and warns that the web UI is open", async () => {
    // Host network: the container's sockets are the host's, so the kernel's table shows them.
    expect(listeningAddresses(ports.master)).toEqual(["127.0.0.1"]);
    const logs = await docker(["logs", name]);
    expect(logs.stdout + logs.stderr).toContain(`the web UI on 0.0.0.0:${ports.web} is open`);
  }, 30_000);

  test("a swarm started through POST /swarm at the demo target runs the seed's two tasks", async () => {
    await waitFor(
      async () => {
        const s = await stats();
        return s.workers.some((w) => w.state === "ready") ? true : new NotYet(JSON.stringify(s.workers));
      },
      60_000,
      "a ready worker",
      500,
    );
    const swarm = await fetch(ui("/swarm"), {
      method: "POST",
      body: new URLSearchParams({ user_count: "4", spawn_rate: "4", host: `http://127.0.0.1:${ports.demo}` }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    const counted = await waitFor(
      async () => {
        const s = await stats();
        const byName = new Map(s.stats.map((e) => [e.name, e.num_requests]));
        return SEED_TASKS.every((t) => (byName.get(t) ?? 0) > 0) ? byName : new NotYet(JSON.stringify([...byName]));
      },
      60_000,
      "requests of both seed tasks in /stats/requests",
      1_000,
    );
    for (const task of SEED_TASKS) expect(counted.get(task)).toBeGreaterThan(0);
    expect((await fetch(ui("/stop"), { method: "POST" })).ok).toBe(true); // keep the load short
  }, 120_000);

  test("Docker's health check reports the container healthy", async () => {
    // The image's HEALTHCHECK runs every 15 s; the first one decides.
    const health = await waitFor(
      async () => {
        const status = await inspect("{{.State.Health.Status}}");
        return status === "healthy" ? status : new NotYet(status);
      },
      60_000,
      "health status healthy",
      1_000,
    );
    expect(health).toBe("healthy");
  }, 90_000);

  test("docker stop ends it with exit code 0, after the workers sent their final stats", async () => {
    // Past -t 20 Docker would SIGKILL supervisord and the exit code would be 137, not 0.
    const stopped = await docker(["stop", "-t", "20", name], 60_000);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await inspect("{{.State.ExitCode}}")).toBe("0");
    expect(await inspect("{{.State.OOMKilled}}")).toBe("false");
    const logs = await docker(["logs", name]);
    const all = logs.stdout + logs.stderr;
    expect(all).toMatch(/final stats/);
    expect(all).toMatch(/stopped: loadworker\S* \(exit status 0\)/);
    expect(all).toMatch(/stopped: locust \(exit status 0\)/);
    // The master's closing table counts the requests the workers reported.
    for (const task of SEED_TASKS) expect(all).toMatch(new RegExp(`${task}\\s+[1-9]\\d*\\s`));
  }, 90_000);

  test("with only LOADWORKER_WEB_USER set, the container stops by itself with exit code 78 and one message naming the setting", async () => {
    const bad = `${name}-half-login`;
    try {
      const started = await runContainer(bad, ["-e", "LOADWORKER_WEB_USER=operator", image]);
      expect(started.code, started.stderr).toBe(0);
      await waitFor(
        async () => {
          const running = (await docker(["inspect", "-f", "{{.State.Running}}", bad])).stdout.trim();
          return running === "false" ? true : new NotYet(`running: ${running}`);
        },
        60_000,
        "the container to stop by itself",
        500,
      );
      const logs = await docker(["logs", bad]);
      const all = logs.stdout + logs.stderr;
      expect(all.split("\n").filter((l) => l.includes("LOADWORKER_WEB_USER is set but LOADWORKER_WEB_PASSWORD is not"))).toHaveLength(1);
      expect(all).toContain("stopping everything supervisord started");
      // Not supervisord's own 0: `docker run` and restart policies must see a failed start.
      expect((await docker(["inspect", "-f", "{{.State.ExitCode}}", bad])).stdout.trim()).toBe("78");
    } finally {
      await docker(["rm", "-f", bad]);
    }
  }, 90_000);

  test("with TLS on (LOADWORKER_TLS_CERT/KEY), the web UI answers https and the health check still reports healthy", async () => {
    const tls = `${name}-tls`;
    // The repo's self-signed pair, copied where the container's user (not root) may read it.
    const dir = mkdtempSync(join(tmpdir(), "lw-image-tls-"));
    chmodSync(dir, 0o755);
    for (const file of ["cert.pem", "key.pem"]) {
      copyFileSync(join(root, "test/http/fixtures", file), join(dir, file));
      chmodSync(join(dir, file), 0o644);
    }
    try {
      await requirePortsFree(ports); // the smoke test's container is gone by now
      const settings = ["-e", "LOADWORKER_TLS_CERT=/tls/cert.pem", "-e", "LOADWORKER_TLS_KEY=/tls/key.pem"];
      const started = await runContainer(tls, ["-v", `${dir}:/tls:ro`, ...settings, image]);
      expect(started.code, started.stderr).toBe(0);
      const https = `https://127.0.0.1:${ports.web}/`;
      await waitFor(
        async () => ((await fetch(https, { tls: { rejectUnauthorized: false } })).ok ? true : new NotYet("not 200")),
        60_000,
        "the web UI over https",
        500,
      );
      const health = await waitFor(
        async () => {
          const status = (await docker(["inspect", "-f", "{{.State.Health.Status}}", tls])).stdout.trim();
          return status === "healthy" ? status : new NotYet(status);
        },
        60_000,
        "health status healthy with TLS on",
        1_000,
      );
      expect(health).toBe("healthy");
      // The probe itself, run by hand: it passes as Docker runs it, and fails if it speaks plain
      // http to this https UI (so "healthy" above came from a real https request, not a no-op).
      const probe = JSON.parse((await docker(["inspect", "-f", "{{json .Config.Healthcheck.Test}}", tls])).stdout) as string[];
      expect(probe[0]).toBe("CMD");
      expect((await docker(["exec", tls, ...probe.slice(1)])).code).toBe(0);
      expect((await docker(["exec", "-e", "LOADWORKER_TLS_CERT=", tls, ...probe.slice(1)])).code).not.toBe(0);
    } finally {
      await docker(["rm", "-f", tls]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
