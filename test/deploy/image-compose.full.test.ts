// docker-compose.yml scaled out for real, on the host network (docker-compose.host.yml): three
// worker containers join the master, a swarm runs at the demo service by its compose name, and
// `down` leaves no container and no network behind. Debian's docker-compose (v1) runs it; the
// same files work with `docker compose` (v2).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { read, run } from "./helpers.ts";
import { NotYet, waitFor } from "../support/wait.ts";
import {
  COMPOSE_PROJECT,
  composeFiles,
  docker,
  dockerEnv,
  dockerUnavailable,
  releaseDocker,
  requirePortsFree,
  testImage,
  uiJson,
  useDocker,
} from "./docker.ts";

const WORKERS = 3;
const skip = dockerUnavailable();
if (skip) console.warn(`skipping the compose scale-out test: ${skip}`);

type Service = { image: string; command: string[] };
const services = (Bun.YAML.parse(read("docker-compose.yml")) as { services: Record<string, Service> }).services;
const arg = (argv: string[] | undefined, flag: string) => {
  const at = (argv ?? []).findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  const found = at < 0 ? undefined : argv?.[at]?.includes("=") ? argv[at]?.split("=")[1] : argv?.[at + 1];
  if (!found) throw new Error(`docker-compose.yml: no ${flag} in ${JSON.stringify(argv)}`);
  return found;
};
const webPort = Number(arg(services.master?.command, "--web-port"));
const ui = (path: string) => `http://127.0.0.1:${webPort}${path}`;
const project = COMPOSE_PROJECT;
const compose = (args: string[], timeoutMs = 120_000) =>
  run(["docker-compose", "-p", project, ...composeFiles, ...args], timeoutMs, { ...dockerEnv(), COMPOSE_HTTP_TIMEOUT: "120" });
const leftovers = async () => {
  const containers = await docker(["ps", "-a", "-q", "--filter", `label=com.docker.compose.project=${project}`]);
  const networks = await docker(["network", "ls", "-q", "--filter", `label=com.docker.compose.project=${project}`]);
  return (containers.stdout + networks.stdout).trim();
};

interface Stats {
  workers: { id: string; state: string }[];
  stats: { name: string; num_requests: number }[];
}
const stats = () => uiJson<Stats>(ui("/stats/requests"));

describe.skipIf(skip !== undefined)(`docker-compose up --scale worker=${WORKERS} on the host network`, () => {
  beforeAll(async () => {
    await useDocker(); // removes a stack an earlier run left holding the ports
    const ports = {
      "web UI": webPort,
      master: Number(arg(services.master?.command, "--master-bind-port")),
      demo: Number(arg(services.demo?.command, "--port")),
    };
    await requirePortsFree(ports); // before the build: a busy port fails at once
    // Compose runs the image the file names; this run's build stands in for it.
    const tagged = await docker(["tag", await testImage(), services.master?.image ?? "loadworker:latest"]);
    expect(tagged.code, tagged.stderr).toBe(0);
    await requirePortsFree(ports);
  }, 900_000);

  afterAll(async () => {
    await compose(["down", "--timeout", "20"]);
    await releaseDocker();
  }, 120_000);

  test("starts the master, the demo target and three workers that the web UI shows ready", async () => {
    const up = await compose(["up", "-d", "--no-build", "--scale", `worker=${WORKERS}`]);
    expect(up.code, up.stderr).toBe(0);
    const ps = await docker([
      "ps",
      "-q",
      "--filter",
      `label=com.docker.compose.project=${project}`,
      "--filter",
      "label=com.docker.compose.service=worker",
    ]);
    expect(ps.stdout.trim().split("\n").length).toBe(WORKERS);
    // Every service is on the host network: compose made no network of its own (no bridge here).
    const networks = await docker(["network", "ls", "--format", "{{.Name}}"]);
    expect(networks.stdout.split("\n").filter((n) => n.startsWith(project))).toEqual([]);
    const ready = await waitFor(
      async () => {
        const s = await stats();
        const ready = s.workers.filter((w) => w.state === "ready");
        return ready.length >= WORKERS ? ready : new NotYet(JSON.stringify(s.workers));
      },
      60_000,
      `${WORKERS} ready workers`,
      500,
    );
    expect(ready.length).toBeGreaterThanOrEqual(WORKERS);
  }, 180_000);

  test("runs a swarm at the demo service, reached by its compose name", async () => {
    const host = arg(services.master?.command, "--host"); // http://demo:8099, via extra_hosts
    const swarm = await fetch(ui("/swarm"), {
      method: "POST",
      body: new URLSearchParams({ user_count: `${WORKERS * 2}`, spawn_rate: "10", host }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    const total = await waitFor(
      async () => {
        const s = await stats();
        const aggregated = s.stats.find((e) => e.name === "Aggregated")?.num_requests ?? 0;
        return aggregated > 0 ? aggregated : new NotYet(JSON.stringify(s.stats));
      },
      60_000,
      "requests in /stats/requests",
      1_000,
    );
    expect(total).toBeGreaterThan(0);
  }, 90_000);

  test("stop during the swarm: the workers quit before the demo target, and the master exits 0 with no errors", async () => {
    const stopped = await compose(["stop", "--timeout", "20"]);
    expect(stopped.code, stopped.stderr).toBe(0);
    const containers = async (service: string) =>
      (
        await docker([
          "ps",
          "-aq",
          "--filter",
          `label=com.docker.compose.project=${project}`,
          "--filter",
          `label=com.docker.compose.service=${service}`,
        ])
      ).stdout
        .trim()
        .split("\n");
    const finished = async (id: string | undefined) =>
      Date.parse((await docker(["inspect", "-f", "{{.State.FinishedAt}}", id ?? ""])).stdout.trim());
    const [demo] = await containers("demo");
    const [master] = await containers("master");
    const demoFinished = await finished(demo);
    for (const worker of await containers("worker")) expect(await finished(worker)).toBeLessThanOrEqual(demoFinished);
    // Locust exits 1 when the test recorded failures: here they would be requests to a demo target already gone.
    const logs = await docker(["logs", master ?? ""]);
    expect(logs.stdout + logs.stderr).not.toContain("connection refused by demo");
    expect((await docker(["inspect", "-f", "{{.State.ExitCode}}", master ?? ""])).stdout.trim()).toBe("0");
  }, 90_000);

  test("down stops and removes every container and leaves no network", async () => {
    const down = await compose(["down", "--timeout", "20"]);
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers()).toBe("");
  }, 90_000);
});
