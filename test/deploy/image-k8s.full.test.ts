// deploy/k8s, rendered by `kubectl kustomize` and checked against the built image: each Deployment's
// rendered container (command, args with $(VAR) from env, user, dropped capabilities) runs in the
// image under Docker as its pod would, every Service name resolving to 127.0.0.1 on the host
// network. The readiness probes answer, the worker joins the master through the Service name, and
// a swarm reaches the demo target through its Service.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { run } from "./helpers.ts";
import { NotYet, waitFor } from "../support/wait.ts";
import { docker, dockerUnavailable, releaseDocker, requirePortsFree, runContainer, testImage, uiJson, useDocker } from "./docker.ts";

const skip = dockerUnavailable() ?? (Bun.which("kubectl") ? undefined : "no kubectl (apt-get install -y kubernetes-client)");
if (skip) console.warn(`skipping the Kubernetes manifests test: ${skip}`);

interface Port {
  name: string;
  containerPort?: number;
  port?: number;
  targetPort?: string | number;
}
interface Container {
  name: string;
  image: string;
  command: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  ports?: Port[];
  readinessProbe?: { httpGet: { path: string; port: string | number } };
  securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface K8s {
  kind: string;
  metadata: { name: string };
  spec: {
    replicas?: number;
    ports?: Port[];
    template: {
      spec: {
        containers: Container[];
        securityContext?: { runAsUser?: number; runAsGroup?: number };
        terminationGracePeriodSeconds?: number;
      };
    };
  };
}

let objects: K8s[] = [];
let image = "";
const containers: string[] = [];
const of = (kind: string) => objects.filter((o) => o.kind === kind);
const pod = (d: K8s) => d.spec.template.spec.containers[0] as Container;
/** The argv Kubernetes runs: command + args, $(VAR) expanded from the container's env. */
const argv = (c: Container) => {
  const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
  return [...c.command, ...(c.args ?? [])].map((a) => a.replace(/\$\((\w+)\)/g, (whole, name) => env.get(name) ?? whole));
};
const flag = (args: string[], name: string) => {
  const at = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  return at < 0 ? undefined : args[at]?.includes("=") ? args[at]?.split("=")[1] : args[at + 1];
};
const containerPort = (c: Container, port: string | number | undefined) =>
  typeof port === "number" ? port : c.ports?.find((p) => p.name === port)?.containerPort;
const deployment = (component: string) => {
  const found = of("Deployment").find((d) => d.metadata.name.endsWith(`-${component}`));
  if (!found) throw new Error(`kubectl kustomize deploy/k8s rendered no Deployment *-${component}`);
  return found;
};
const webUrl = () => {
  const master = pod(deployment("master"));
  return `http://127.0.0.1:${containerPort(master, master.readinessProbe?.httpGet.port)}`;
};

describe.skipIf(skip !== undefined)("deploy/k8s rendered by kubectl kustomize, run from the image", () => {
  beforeAll(async () => {
    const rendered = await run(["kubectl", "kustomize", "deploy/k8s"], 60_000);
    expect(rendered.code, rendered.stderr).toBe(0);
    objects = [Bun.YAML.parse(rendered.stdout)].flat() as K8s[];
    await useDocker();
    image = await testImage();
  }, 900_000);

  afterAll(async () => {
    if (containers.length > 0) await docker(["rm", "-f", ...containers]);
    await releaseDocker();
  }, 90_000);

  test("renders a master, a worker and a demo Deployment, each with a Service where one is needed", () => {
    expect(
      of("Deployment")
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(["loadworker-demo", "loadworker-worker", "locust-master"]);
    expect(
      of("Service")
        .map((s) => s.metadata.name)
        .sort(),
    ).toEqual(["loadworker-demo", "locust-master"]);
    expect(deployment("master").spec.replicas).toBe(1); // Locust has one master
  });

  test("every pod runs the image's user, and the master's ports are the ones the image exposes", async () => {
    const config = JSON.parse((await docker(["image", "inspect", "-f", "{{json .Config}}", image])).stdout) as {
      User: string;
      ExposedPorts: Record<string, unknown>;
    };
    for (const d of of("Deployment")) expect(`${d.spec.template.spec.securityContext?.runAsUser}`).toBe(config.User);
    const master = pod(deployment("master"));
    const exposed = Object.keys(config.ExposedPorts)
      .map((p) => Number(p.split("/")[0]))
      .sort();
    expect((master.ports ?? []).map((p) => p.containerPort as number).sort()).toEqual(exposed);
    expect(Number(flag(argv(master), "--web-port"))).toBe(containerPort(master, "web") as number);
    expect(Number(flag(argv(master), "--master-bind-port"))).toBe(containerPort(master, "master") as number);
  }, 30_000);

  test("Services point at the ports the pods' commands listen on, under the names the commands use", () => {
    const master = pod(deployment("master"));
    const demo = pod(deployment("demo"));
    const service = (name: string) => of("Service").find((s) => s.metadata.name === name);
    // Workers reach the master by its Service name and port.
    const worker = argv(pod(deployment("worker")));
    const masterService = service(flag(worker, "--master-host") as string);
    const joinPort = masterService?.spec.ports?.find((p) => p.port === Number(flag(worker, "--master-port")));
    expect(containerPort(master, joinPort?.targetPort)).toBe(Number(flag(argv(master), "--master-bind-port")));
    // The master's default Host is the demo Service, whose port leads to the demo's --port.
    const host = new URL(flag(argv(master), "--host") as string);
    const demoPort = service(host.hostname)?.spec.ports?.find((p) => p.port === Number(host.port));
    expect(containerPort(demo, demoPort?.targetPort)).toBe(Number(flag(argv(demo), "--port")));
  });

  test("each pod's command runs in the image as its pod would; the worker joins and a swarm reaches the demo", async () => {
    const deployments = [deployment("demo"), deployment("master"), deployment("worker")];
    await requirePortsFree(
      Object.fromEntries(
        deployments.flatMap((d) => (pod(d).ports ?? []).map((p) => [`${d.metadata.name} ${p.name}`, p.containerPort as number])),
      ),
    );
    const hosts = of("Service").flatMap((s) => ["--add-host", `${s.metadata.name}:127.0.0.1`]);
    for (const d of deployments) {
      const c = pod(d);
      const security = d.spec.template.spec.securityContext;
      const [entrypoint, ...rest] = argv(c);
      const name = `lwk8s-${process.pid}-${d.metadata.name}`;
      const caps = (c.securityContext?.capabilities?.drop ?? []).flatMap((cap) => ["--cap-drop", cap]);
      const noNewPrivileges = c.securityContext?.allowPrivilegeEscalation === false ? ["--security-opt", "no-new-privileges"] : [];
      const user = ["--user", `${security?.runAsUser}:${security?.runAsGroup ?? security?.runAsUser}`];
      const started = await runContainer(name, [
        ...hosts,
        ...user,
        ...caps,
        ...noNewPrivileges,
        "--entrypoint",
        entrypoint as string,
        image,
        ...rest,
      ]);
      expect(started.code, `${d.metadata.name}: ${started.stderr}`).toBe(0);
      containers.push(name);
    }
    for (const d of deployments) {
      const c = pod(d);
      if (!c.readinessProbe) continue;
      const url = `http://127.0.0.1:${containerPort(c, c.readinessProbe.httpGet.port)}${c.readinessProbe.httpGet.path}`;
      await waitFor(
        async () => ((await fetch(url)).ok ? true : new NotYet("not 200")),
        60_000,
        `${d.metadata.name}'s readiness probe ${url}`,
        500,
      );
    }
    type Stats = { workers: { state: string }[]; stats: { name: string; num_requests: number; num_failures: number }[] };
    const stats = () => uiJson<Stats>(`${webUrl()}/stats/requests`);
    await waitFor(
      async () => {
        const s = await stats();
        return s.workers.some((w) => w.state === "ready") ? true : new NotYet(JSON.stringify(s.workers));
      },
      60_000,
      "the worker ready at the master",
      500,
    );
    const host = flag(argv(pod(deployment("master"))), "--host") as string;
    const swarm = await fetch(`${webUrl()}/swarm`, {
      method: "POST",
      body: new URLSearchParams({ user_count: "2", spawn_rate: "2", host }),
    });
    expect(((await swarm.json()) as { success: boolean }).success).toBe(true);
    const total = await waitFor(
      async () => {
        const all = (await stats()).stats.find((e) => e.name === "Aggregated");
        return all && all.num_requests > 0 ? all : new NotYet(JSON.stringify(all));
      },
      60_000,
      "requests at the demo Service",
      1_000,
    );
    expect(total.num_failures).toBe(0);
    expect((await fetch(`${webUrl()}/stop`, { method: "POST" })).ok).toBe(true);
    // The worker pod's grace period is enough for SIGTERM -> final stats -> exit 0.
    const worker = `lwk8s-${process.pid}-${deployment("worker").metadata.name}`;
    const grace = deployment("worker").spec.template.spec.terminationGracePeriodSeconds ?? 30;
    expect((await docker(["stop", "-t", `${grace}`, worker], 60_000)).code).toBe(0);
    expect((await docker(["inspect", "-f", "{{.State.ExitCode}}", worker])).stdout.trim()).toBe("0");
  }, 180_000);
});
