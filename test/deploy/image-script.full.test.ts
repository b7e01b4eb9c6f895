// scripts/lib/image.sh when something is missing or broken: one message naming what failed and what
// to do, and no daemon or container left behind. Each case runs the real script.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { processesMentioning, root, run } from "./helpers.ts";
import { docker, dockerEnv, dockerUnavailable, releaseDocker, testImage, useDocker } from "./docker.ts";

const skip = dockerUnavailable();
if (skip) console.warn(`skipping the scripts/lib/image.sh failure tests: ${skip}`);
const work = mkdtempSync(join(tmpdir(), "lw-image-script-"));
// No /usr/sbin: debootstrap lives there; scripts/lib/dockerd.sh adds it back for dockerd alone.
const PATH_WITHOUT_SBIN = "/usr/local/bin:/usr/bin:/bin";
const caches = [join(work, "cache-dockerd"), join(work, "cache-debootstrap")];
/** The daemon's run dir (socket, exec root) for a cache: where dockerd mounts its network namespace. */
const runDir = async (cache: string) =>
  dirname(
    (await run(["bash", "scripts/lib/dockerd.sh", "host"], 10_000, { LOADWORKER_CACHE: cache })).stdout.trim().replace(/^unix:\/\//, ""),
  );
const mountsUnder = (...dirs: string[]) =>
  readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .filter((l) => dirs.some((d) => l.includes(` ${d}/`)));

describe.skipIf(skip !== undefined)("scripts/lib/image.sh, when something is missing or broken", () => {
  beforeAll(() => mkdirSync(work, { recursive: true }));
  afterAll(async () => {
    await releaseDocker();
    // The failed start leaves its run dir (with the log the message points to) under /tmp.
    for (const cache of caches) rmSync(await runDir(cache), { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }, 90_000);

  test("a dockerd that cannot start: says so with its log, and leaves no daemon and no mount", async () => {
    const bin = join(work, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "dockerd"), "#!/bin/sh\necho 'failed to start daemon: this dockerd always fails' >&2\nexit 1\n");
    chmodSync(join(bin, "dockerd"), 0o755);
    const cache = caches[0] as string;
    const ran = await run(["bash", "scripts/lib/image.sh"], 60_000, {
      PATH: `${bin}:${process.env.PATH}`,
      LOADWORKER_CACHE: cache,
      DOCKER_HOST: "",
    });
    expect(ran.code).toBe(6);
    expect(ran.stderr).toContain("error: dockerd did not start");
    expect(ran.stderr).toContain("this dockerd always fails");
    expect(ran.stderr).toContain("image.sh: failed: the Docker daemon could not start");
    expect(processesMentioning(cache)).toEqual([]);
    expect(mountsUnder(cache, await runDir(cache))).toEqual([]);
  }, 90_000);

  test("debootstrap missing where a stand-in is needed: names it and how to install it, and stops the daemon it started, leaving no mount", async () => {
    const cache = caches[1] as string; // an empty data root: no base image yet
    const ran = await run(["bash", "scripts/lib/image.sh"], 120_000, { PATH: PATH_WITHOUT_SBIN, LOADWORKER_CACHE: cache, DOCKER_HOST: "" });
    expect(ran.stderr).toContain("dockerd: started");
    expect(ran.stderr).toContain("debootstrap not found on PATH");
    expect(ran.stderr).toContain("apt-get install -y debootstrap");
    expect(ran.stderr).toContain("image.sh: failed: the base images are missing");
    expect(ran.code).toBe(7);
    expect(processesMentioning(cache)).toEqual([]);
    expect(mountsUnder(cache, await runDir(cache))).toEqual([]);
  }, 150_000);

  test("a build that fails (a task that does not compile): shows the build's error and leaves no container", async () => {
    await useDocker();
    await testImage(); // the base images, in the shared data root
    const copy = join(work, "repo");
    const files = (await run(["git", "ls-files", "-co", "--exclude-standard"], 30_000)).stdout.trim().split("\n");
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      cpSync(join(root, file), join(copy, file));
    }
    writeFileSync(join(copy, "tasks/broken.ts"), "export const broken = defineTask({ name: 'x', fn: async () => { ;\n");
    const before = (await docker(["ps", "-aq"])).stdout;
    const ran = await run(["bash", join(copy, "scripts/lib/image.sh"), "--build"], 600_000, {
      ...dockerEnv(),
      LOADWORKER_IMAGE: "loadworker:broken",
    });
    expect(ran.code).toBe(8);
    expect(ran.stderr).toContain("broken.ts");
    expect(ran.stderr).toContain("image.sh: failed: docker build of loadworker:broken");
    expect((await docker(["ps", "-aq"])).stdout).toBe(before);
    expect((await docker(["image", "inspect", "loadworker:broken"])).code).not.toBe(0);
  }, 900_000);
});
