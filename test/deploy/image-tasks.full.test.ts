// The image with a mounted task folder, no rebuild: docker run -v DIR:/tasks -e LOADWORKER_TASKS=/tasks.
// The workers load the folder's .ts files, the master declares their classes (master.py restarts
// on the folder's, src/master/mounted.py), and a swarm's requests reach a counting server on the
// host (host network, as every image test here).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CountingServer, countingServer, tempDir } from "../support/procs.ts";
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

const skip = dockerUnavailable();
if (skip) console.warn(`skipping the mounted-tasks image test: ${skip}`);

const ports = imagePorts();
const ui = (path: string) => `http://127.0.0.1:${ports.web}${path}`;
const name = `loadworker-tasks-${process.pid}`;
let server: CountingServer;
let tasks: string;

interface Stats {
  user_count: number;
  workers: { state: string }[];
  stats: { name: string; num_requests: number }[];
}

describe.skipIf(skip !== undefined)("the image with LOADWORKER_TASKS and a mounted folder", () => {
  beforeAll(async () => {
    server = await countingServer();
    tasks = tempDir("image-tasks");
    chmodSync(tasks, 0o755); // the image's user (uid 10001) reads it
    writeFileSync(
      join(tasks, "mounted.ts"),
      'import { constant, defineUser } from "loadworker";\nexport const m = defineUser({ name: "MountedUser", waitTime: constant(0.1), tasks: [{ name: "mounted", fn: async ({ client }) => void (await client.get("/mounted")) }] });\n',
    );
    chmodSync(join(tasks, "mounted.ts"), 0o644);
    await useDocker();
    await requirePortsFree(ports);
    const image = await testImage();
    await requirePortsFree(ports);
    const started = await runContainer(name, ["-v", `${tasks}:/tasks:ro`, "-e", "LOADWORKER_TASKS=/tasks", image]);
    expect(started.code, started.stderr).toBe(0);
  }, 900_000);

  afterAll(async () => {
    await docker(["rm", "-f", name]);
    await releaseDocker();
    await server?.close();
  }, 90_000);

  test("a swarm runs the mounted class: the master names it, the counting server gets its requests", async () => {
    const stats = () => uiJson<Stats>(ui("/stats/requests"));
    await waitFor(
      async () => ((await stats()).workers.some((w) => w.state === "ready") ? true : new NotYet("no ready worker")),
      90_000,
      "a ready worker",
      500,
    );
    const swarm = await fetch(ui("/swarm"), {
      method: "POST",
      body: new URLSearchParams({ user_count: "3", spawn_rate: "3", host: server.url }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    const counted = await waitFor(
      async () => {
        const s = await stats();
        const mounted = s.stats.find((e) => e.name === "/mounted")?.num_requests ?? 0;
        return mounted > 10 ? s : new NotYet(JSON.stringify(s.stats.map((e) => [e.name, e.num_requests])));
      },
      60_000,
      "requests of the mounted task in /stats/requests",
      1_000,
    );
    expect(counted.stats.map((e) => e.name).sort()).toEqual(["/mounted", "Aggregated"]);
    expect(server.counts.get("/mounted") ?? 0).toBeGreaterThan(10);
    expect((await fetch(ui("/stop"), { method: "POST" })).ok).toBe(true);
    const logs = await docker(["logs", name]);
    expect(logs.stdout + logs.stderr).toContain("LOADWORKER_TASKS=/tasks: the master declares the classes of those task files");
  }, 180_000);
});
