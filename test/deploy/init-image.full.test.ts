// The Dockerfile `npx loadworker init` writes, built and run: the packed tarball installed into a
// fresh project outside the repository, init, `docker build -f loadtests/Dockerfile .` (npm ci, Bun
// compiles the tasks, python:3.11 with Locust and supervisord), then `docker run` and a swarm of
// the example user whose requests a counting server on the host counts. The one change to the
// scaffold: the tarball is copied into the build stage, since no registry serves it yet.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CountingServer, ROOT, countingServer, startProc, tempDir } from "../support/procs.ts";
import { NotYet, waitFor, within } from "../support/wait.ts";
import { docker, dockerEnv, dockerUnavailable, releaseDocker, requirePortsFree, runContainer, uiJson, useDocker } from "./docker.ts";
import { run } from "./helpers.ts";

const skip = dockerUnavailable();
if (skip) console.warn(`skipping the init Dockerfile test: ${skip}`);

const project = tempDir("init-image"); // outside the repository
const tag = "loadworker-init-example:test";
const name = `loadworker-init-${process.pid}`;
const ports = { web: 8090, master: 5557 }; // the template's supervisord.conf
let server: CountingServer;

async function sh(cmd: string, args: string[], cwd = project, ms = 180_000) {
  const proc = startProc(cmd, args, { cwd, env: { NO_COLOR: "1" } });
  const code = await within(proc.exited, ms, `${cmd} ${args.join(" ")}`);
  expect(code, proc.output()).toBe(0);
  return proc.output();
}

describe.skipIf(skip !== undefined)("the image init scaffolds", () => {
  beforeAll(async () => {
    server = await countingServer();
    await sh("npm", ["pack", "--pack-destination", project], ROOT);
    const [tgz] = readdirSync(project).filter((f) => f.endsWith(".tgz"));
    await sh("npm", ["init", "-y"]);
    await sh("npm", ["i", "-D", `./${tgz}`, "--no-audit", "--no-fund"], project, 300_000);
    await sh("npx", ["loadworker", "init"]);
    const dockerfile = join(project, "loadtests/Dockerfile");
    const text = readFileSync(dockerfile, "utf8");
    expect(text).toContain("COPY package.json package-lock.json ./");
    writeFileSync(dockerfile, text.replace("COPY package.json package-lock.json ./", `COPY package.json package-lock.json ${tgz} ./`));
    await useDocker();
    await requirePortsFree(ports);
    // The stand-in base images (node, python) the repository's image tests use.
    const bases = await run(["bash", "scripts/lib/base-images.sh"], 600_000, dockerEnv());
    expect(bases.code, bases.stderr).toBe(0);
    // --network host: no container here may get a bridge (private-range) address (scripts/lib/image.sh).
    const built = await run(["docker", "build", "--network", "host", "-f", dockerfile, "-t", tag, project], 900_000, dockerEnv());
    expect(built.code, built.stderr.slice(-3000)).toBe(0);
    const started = await runContainer(name, [tag]);
    expect(started.code, started.stderr).toBe(0);
  }, 1_200_000);

  afterAll(async () => {
    await docker(["rm", "-f", name]);
    await docker(["rmi", "-f", tag]);
    await releaseDocker();
    await server?.close();
  }, 90_000);

  test("runs the Locust master and the example user's binary; a swarm's requests reach the target", async () => {
    const ui = (path: string) => `http://127.0.0.1:${ports.web}${path}`;
    type Stats = { workers: { state: string }[]; stats: { name: string; num_requests: number }[] };
    await waitFor(
      async () => ((await uiJson<Stats>(ui("/stats/requests"))).workers.some((w) => w.state === "ready") ? true : new NotYet("no worker")),
      90_000,
      "a ready worker in the init image",
      500,
    );
    const swarm = await fetch(ui("/swarm"), {
      method: "POST",
      body: new URLSearchParams({ user_count: "2", spawn_rate: "2", host: server.url }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    await waitFor(
      () => ((server.counts.get("/") ?? 0) > 3 ? true : new NotYet(JSON.stringify([...server.counts]))),
      60_000,
      "requests at /",
      500,
    );
    // The worker reports every 3 s (Locust's stats interval): the master's row follows the server's count.
    const atMaster = async () => (await uiJson<Stats>(ui("/stats/requests"))).stats.find((e) => e.name === "/")?.num_requests ?? 0;
    await waitFor(
      async () => ((await atMaster()) > 0 ? true : new NotYet("no / row at the master yet")),
      15_000,
      "the master's / row",
      500,
    );
    expect(await atMaster()).toBeGreaterThan(0);
    expect((await fetch(ui("/stop"), { method: "POST" })).ok).toBe(true);
  }, 180_000);

  test("a bad setting (a login user without a password) stops the container with exit code 78, not 0", async () => {
    await docker(["rm", "-f", name]); // its master would take this container's worker
    const bad = `${name}-half-login`;
    try {
      expect((await runContainer(bad, ["-e", "LOADWORKER_WEB_USER=operator", tag])).code).toBe(0);
      const code = await waitFor(
        async () => {
          const [running, exit] = (await docker(["inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", bad])).stdout.trim().split(" ");
          return running === "false" ? exit : new NotYet(`running: ${running}`);
        },
        60_000,
        "the container to stop by itself",
        500,
      );
      expect(code).toBe("78");
    } finally {
      await docker(["rm", "-f", bad]);
    }
  }, 90_000);
});
