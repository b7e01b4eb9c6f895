// The image tests' Docker: a daemon (the one at DOCKER_HOST, else a private one that the test file
// starts and stops), the image built once per test run, and the ports the image listens on.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { portHolders } from "../support/listeners.ts";
import { type Ran, read, root, run } from "./helpers.ts";

/** Why this machine cannot run the image tests at all, or undefined when it can. */
export function dockerUnavailable(): string | undefined {
  if (process.env.CI) return undefined; // CI installs docker.io (scripts/lib/image-deps.sh): never skip there
  if (!Bun.which("docker")) return "no docker client (apt-get install -y docker.io)";
  if (process.env.DOCKER_HOST) return undefined;
  if (!Bun.which("dockerd") && !existsSync("/usr/sbin/dockerd")) return "no dockerd (apt-get install -y docker.io)";
  if (process.getuid?.() !== 0) return "dockerd needs root here and this is not root";
  return undefined;
}

const env: Record<string, string> = {};
let started = false;

/** In beforeAll: a daemon that answers; started here (and stopped by releaseDocker) if none does. */
export async function useDocker(): Promise<void> {
  const host = process.env.DOCKER_HOST ?? (await run(["bash", "scripts/lib/dockerd.sh", "host"], 10_000)).stdout.trim();
  if ((await run(["docker", "info"], 15_000, { DOCKER_HOST: host })).code === 0) {
    env.DOCKER_HOST = host;
    await removeLeftovers();
    return;
  }
  const start = await run(["bash", "scripts/lib/dockerd.sh", "start"], 60_000);
  if (start.code !== 0) throw new Error(`the Docker daemon did not start:\n${start.stderr}`);
  env.DOCKER_HOST = start.stdout.trim().replace(/^DOCKER_HOST=/, "");
  started = start.stderr.includes("dockerd: started");
  await removeLeftovers(); // a restarted daemon brings back compose's unless-stopped containers
}

/** Label on every container these tests start; removeLeftovers() clears what a killed run left. */
export const TEST_LABEL = "org.loadworker.test";

/** The compose test's project: one fixed name, so removeLeftovers() finds a stack left behind. */
export const COMPOSE_PROJECT = "loadworker-compose-test";

/** Removes containers an interrupted earlier run left behind (they would hold the image's ports). */
export async function removeLeftovers(): Promise<void> {
  for (const label of [TEST_LABEL, `com.docker.compose.project=${COMPOSE_PROJECT}`]) {
    const left = (await docker(["ps", "-aq", "--filter", `label=${label}`])).stdout.trim();
    if (left) await docker(["rm", "-f", ...left.split("\n")]);
  }
}

/** In afterAll: stops the daemon useDocker started; a daemon that was running stays. */
export async function releaseDocker(): Promise<void> {
  if (!started) return;
  started = false;
  const stop = await run(["bash", "scripts/lib/dockerd.sh", "stop"], 60_000);
  if (stop.code !== 0) throw new Error(`the Docker daemon did not stop: ${stop.stderr}`);
}

export const docker = (args: string[], timeoutMs = 60_000): Promise<Ran> => run(["docker", ...args], timeoutMs, env);
/** `docker run -d` of a test container: on the host network (no container here may get a bridge address), labelled for removeLeftovers(). */
export const runContainer = (name: string, args: string[], timeoutMs?: number): Promise<Ran> =>
  docker(["run", "-d", "--network", "host", "--label", TEST_LABEL, "--name", name, ...args], timeoutMs);
export const dockerEnv = (): Record<string, string> => ({ ...env });

// One build per test run: the image stays in the daemon's data root, so a later test file that
// starts the daemon again finds it. scripts/lib/image.sh builds before it runs these tests and says so.
let built: Promise<string> | undefined;
export function testImage(): Promise<string> {
  built ??= (async () => {
    const given = process.env.LOADWORKER_IMAGE;
    if (given && (await docker(["image", "inspect", given])).code === 0) return given;
    const tag = given ?? "loadworker:test";
    const build = await run(["bash", "scripts/lib/image.sh", "--build"], 900_000, { ...env, LOADWORKER_IMAGE: tag });
    if (build.code !== 0) throw new Error(`scripts/lib/image.sh --build failed:\n${build.stderr.slice(-3000)}`);
    console.error(
      build.stderr
        .split("\n")
        .filter((l) => /^(base image|image\.sh: built)/.test(l))
        .join("\n"),
    );
    return tag;
  })();
  return built;
}

/** The image's ports, read from the supervisord.conf it copies in (so a changed port follows). */
export function imagePorts(): { web: number; master: number; demo: number } {
  const conf = read("supervisord.conf");
  const flag = (re: RegExp) => {
    const found = re.exec(conf)?.[1];
    if (!found) throw new Error(`supervisord.conf: no ${re} in any command`);
    return Number(found);
  };
  return { web: flag(/--web-port[= ](\d+)/), master: flag(/--master-bind-port[= ](\d+)/), demo: flag(/demo-target\b.*--port[= ](\d+)/) };
}

/**
 * Fails clearly when something on this machine already listens where the image must (host
 * network: the image's ports cannot be set from outside, supervisord.conf fixes them), on any
 * address: a listener on 127.0.0.2 or [::1] blocks the image's 0.0.0.0 too. Every busy port is
 * named with who holds it. Call it before the build (a busy port fails at once) and again just
 * before the containers start.
 */
export async function requirePortsFree(ports: Record<string, number>): Promise<void> {
  const busy = Object.entries(ports).flatMap(([name, port]) => {
    const holders = portHolders(port);
    return holders.length === 0 ? [] : [`port ${port} (${name}) is in use: listening on ${holders.join("; ")}`];
  });
  if (busy.length > 0) {
    throw new Error(
      `${busy.join("\n")}\nThe image listens on these ports on the host network and cannot start beside them. Stop what holds them (a container left running: docker ps) and rerun.`,
    );
  }
}

/** The master's JSON, or an error that says what came instead (a login page, say) and from where. */
export async function uiJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const type = res.headers.get("content-type") ?? "";
  if (!res.ok || !type.includes("json")) {
    throw new Error(`${url} answered ${res.status} ${type} at ${res.url}: not the master's JSON (does the web UI ask for a login now?)`);
  }
  return (await res.json()) as T;
}

export const composeFiles = ["-f", join(root, "docker-compose.yml"), "-f", join(root, "docker-compose.host.yml")];
