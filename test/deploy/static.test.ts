// The deployment files must agree with each other and with the repo. Cheap and Docker-free; the
// image itself is built and run in image*.full.test.ts.
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { read, root } from "./helpers.ts";

type Ini = Map<string, Map<string, string>>;
function parseIni(text: string): Ini {
  const sections: Ini = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1] as string, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (!current || eq < 0) throw new Error(`supervisord.conf: cannot parse '${line}'`);
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return sections;
}
const ini = parseIni(read("supervisord.conf"));
const option = (section: string, key: string) => ini.get(section)?.get(key);
const argvOf = (section: string) => (option(section, "command") ?? "").split(/\s+/);

// The Dockerfile, one instruction per entry (continuations joined), comments dropped.
const dockerfile = read("Dockerfile")
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"));
const instructions = (name: string) => dockerfile.filter((l) => l.toUpperCase().startsWith(`${name} `));
const stages = instructions("FROM");

const venvSh = read("scripts/lib/venv.sh");
const venvVersion = (name: string) => /^(\w+)=(\S+)$/m.exec(venvSh.split("\n").find((l) => l.startsWith(`${name}=`)) ?? "")?.[2];
const pkg = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version?: string }> };

const compose = Bun.YAML.parse(read("docker-compose.yml")) as {
  services: Record<
    string,
    {
      build?: string;
      image?: string;
      command?: string[];
      ports?: string[];
      environment?: string[];
      container_name?: string;
      depends_on?: string[];
    }
  >;
};
const k8sFiles = readdirSync(join(root, "deploy/k8s")).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of any Kubernetes kind; each test reads the fields it checks
type K8sObject = { kind: string; metadata: { name: string }; spec: Record<string, any> };
const k8s = k8sFiles.flatMap((f) => [Bun.YAML.parse(read(`deploy/k8s/${f}`))].flat() as K8sObject[]);
const k8sObject = (kind: string, name: string) => {
  const found = k8s.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`deploy/k8s has no ${kind} ${name}`);
  return found;
};
const podContainer = (deployment: K8sObject) => deployment.spec.template.spec.containers[0];

/** Locust's own flags in an argv, as { "--web-port": "8090", "-f": "/app/master.py", "--master": "" }. */
function locustFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("-")) continue;
    const eq = arg.indexOf("=");
    if (eq > 0) flags[arg.slice(0, eq)] = arg.slice(eq + 1);
    else flags[arg] = argv[i + 1] !== undefined && !argv[i + 1]?.startsWith("-") ? (argv[++i] as string) : "";
  }
  return flags;
}

describe("pinned versions", () => {
  test("the image installs the locust and supervisor versions scripts/lib/venv.sh pins", () => {
    const args = Object.fromEntries(instructions("ARG").map((l) => l.slice(4).split("=") as [string, string]));
    expect(args.LOCUST_VERSION).toBe(venvVersion("LOCUST_VERSION") as string);
    expect(args.SUPERVISOR_VERSION).toBe(venvVersion("SUPERVISOR_VERSION") as string);
    const pip = instructions("RUN").find((l) => l.includes("pip install")) ?? "";
    // The Dockerfile's own ${…} build-arg references, written literally.
    expect(pip).toContain(`"locust==\${LOCUST_VERSION}"`);
    expect(pip).toContain(`"supervisor==\${SUPERVISOR_VERSION}"`);
  });

  test("the build stage uses the bun that package.json and the lockfile pin", () => {
    const bun = stages.find((l) => l.includes("oven/bun:"));
    expect(bun).toBeDefined();
    expect(pkg.dependencies.bun).toBe(lock.packages["node_modules/bun"]?.version as string);
    expect(bun).toMatch(new RegExp(`^FROM oven/bun:${pkg.dependencies.bun?.replaceAll(".", "\\.")} AS build$`));
  });

  test("every base image is pinned to a full version, never a moving tag", () => {
    expect(stages.length).toBe(3);
    for (const from of stages) expect(from).toMatch(/^FROM [\w./-]+:\d+\.\d+\.\d+(-[\w.]+)*( AS \w+)?$/);
  });

  test("dependencies come from the lockfile", () => {
    expect(instructions("RUN").some((l) => /\bnpm ci\b/.test(l))).toBe(true);
    expect(instructions("COPY").some((l) => l.includes("package-lock.json"))).toBe(true);
  });
});

describe("the Dockerfile builds what supervisord.conf runs", () => {
  test("the build stage runs scripts/lib/build.sh, the script up.sh runs on a host", () => {
    const build = instructions("RUN").filter((l) => l.includes("scripts/lib/build"));
    expect(build).toEqual(["RUN BUN=bun bash scripts/lib/build.sh --out /out --host http://127.0.0.1:8099"]);
    const buildSh = read("scripts/lib/build.sh");
    expect(buildSh).toContain('"$bun" scripts/build.ts --outfile "$out/.loadworker.tmp" --tasks "$tasks"');
    expect(buildSh).toContain('"$out/loadworker" locustfile --host "$host" > "$out/.master.py.tmp"');
    expect(read("scripts/up.sh")).toContain('"$root/scripts/lib/build.sh" --out "$run_dir/app" --host "http://127.0.0.1:$demo_port"');
    expect(read("scripts/lib/build.sh")).toContain('tasks="$root/tasks"'); // the image compiles tasks/
  });

  test("the runtime stage puts the binary and master.py where supervisord.conf expects them", () => {
    expect(instructions("COPY")).toContain("COPY --from=build /out/loadworker /out/master.py /app/");
    expect(argvOf("program:loadworker")[0]).toBe("/app/loadworker");
    expect(argvOf("program:demo")[0]).toBe("/app/loadworker");
    expect(locustFlags(argvOf("program:locust"))["-f"]).toBe("/app/master.py");
  });

  test("the image starts supervisord with the conf it copies, through supervisord.sh", () => {
    const copy = instructions("COPY").find((l) => l.startsWith("COPY supervisord.conf "));
    const path = copy?.split(" ")[2];
    expect(path).toBe("/etc/supervisor/supervisord.conf"); // supervisorctl's default search path
    const script = instructions("COPY").find((l) => l.startsWith("COPY src/project/templates/supervisord.sh "));
    expect(instructions("CMD")).toEqual([`CMD ["sh", "${script?.split(" ")[2]}"]`]);
    expect(read("src/project/templates/supervisord.sh")).toContain(`supervisord -c ${path} &`);
  });

  test("supervisord.sh looks for master.py's refusal beside the socket supervisord.conf names", () => {
    // src/master/access.py leaves loadworker-refused in the socket's folder (SUPERVISOR_SERVER_URL).
    const socket = option("unix_http_server", "file") ?? "";
    expect(read("src/project/templates/supervisord.sh")).toContain(`sock_dir=${dirname(socket)} `);
    expect(option("supervisorctl", "serverurl")).toBe(`unix://${socket}`);
    // init's image runs the same supervisord.sh with its own supervisord.conf.
    expect(read("src/project/templates/supervisord.conf")).toContain(`[unix_http_server]\nfile=${socket}\n`);
  });

  test("the image exposes the web UI and master ports and runs as a non-root user", () => {
    expect(instructions("EXPOSE")).toEqual(["EXPOSE 8090 5557"]);
    const user = instructions("USER").at(-1)?.split(" ")[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user as string);
  });

  test(".dockerignore keeps dependencies, venvs, build output and git out", () => {
    const ignored = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of [".git", "node_modules", ".venv", ".run", ".build", "/loadworker", "dist"]) expect(ignored).toContain(entry);
  });
});

describe("supervisord.conf", () => {
  test("runs in the foreground with a control socket supervisorctl can reach", () => {
    expect(option("supervisord", "nodaemon")).toBe("true");
    const socket = option("unix_http_server", "file");
    expect(option("supervisorctl", "serverurl")).toBe(`unix://${socket}`);
    expect(ini.has("rpcinterface:supervisor")).toBe(true);
  });

  test("runs the master with the web UI on 8090, workers on 5557 and the demo target as default host", () => {
    const flags = locustFlags(argvOf("program:locust"));
    expect(argvOf("program:locust")[0]).toBe("locust");
    expect(flags).toMatchObject({ "--master": "", "--web-port": "8090", "--master-bind-port": "5557" });
    expect(flags["--host"]).toBe(`http://127.0.0.1:${locustFlags(argvOf("program:demo"))["--port"]}`);
    expect(locustFlags(argvOf("program:demo"))["--port"]).toBe("8099");
  });

  test("leaves the worker port's address to master.py, which binds 127.0.0.1 unless LOADWORKER_MASTER_BIND", () => {
    expect(locustFlags(argvOf("program:locust"))["--master-bind-host"]).toBeUndefined();
    expect(locustFlags(argvOf("program:locust"))["--web-host"]).toBe("0.0.0.0"); // the published web UI
  });

  test("points the workers at that master", () => {
    expect(locustFlags(argvOf("program:loadworker"))).toMatchObject({ "--master-host": "127.0.0.1", "--master-port": "5557" });
    expect(argvOf("program:loadworker").slice(-2)).toEqual(["--processes", "-1"]); // every core; up.sh --workers N pins it
    expect(option("program:loadworker", "process_name")).toBe("%(program_name)s_%(process_num)02d");
    expect(option("program:loadworker", "numprocs")).toBe("1");
    const withNumprocs = [...ini].filter(([, s]) => s.has("numprocs")).map(([name]) => name);
    expect(withNumprocs).toEqual(["program:loadworker"]); // one program; its --processes makes the worker processes
  });

  test("starts the demo first, then the master, then the workers, and restarts each", () => {
    const priority = (p: string) => Number(option(`program:${p}`, "priority"));
    expect(priority("demo")).toBeLessThan(priority("locust"));
    expect(priority("locust")).toBeLessThan(priority("loadworker"));
    for (const program of ["demo", "locust", "loadworker"]) {
      expect(option(`program:${program}`, "autostart")).toBe("true");
      expect(option(`program:${program}`, "autorestart")).toBe("true");
    }
  });

  test("sends every program's output to stdout/stderr unrotated, for docker logs", () => {
    for (const program of ["demo", "locust", "loadworker"]) {
      expect(option(`program:${program}`, "stdout_logfile")).toBe("/dev/stdout");
      expect(option(`program:${program}`, "stdout_logfile_maxbytes")).toBe("0");
      expect(option(`program:${program}`, "stderr_logfile")).toBe("/dev/stderr");
      expect(option(`program:${program}`, "stderr_logfile_maxbytes")).toBe("0");
    }
  });
});

describe("docker-compose.yml", () => {
  const { master, worker, demo } = compose.services;

  test("builds one image and runs master, worker and demo from it", () => {
    for (const service of [master, worker, demo]) {
      expect(service?.build).toBe(".");
      expect(service?.image).toBe("loadworker:latest");
    }
  });

  test("stops the workers before the demo target they load, so a stop mid-test records no errors", () => {
    // Compose stops a service before the services it depends on (and starts it after them).
    expect(worker?.depends_on).toContain("demo");
    expect(worker?.depends_on).toContain("master");
  });

  test("runs the master like the image does, reachable from the other containers", () => {
    const flags = locustFlags(master?.command ?? []);
    const image = locustFlags(argvOf("program:locust"));
    expect(flags).toMatchObject({
      "-f": image["-f"],
      "--master": "",
      "--web-port": image["--web-port"],
      "--master-bind-port": image["--master-bind-port"],
    });
    expect(flags).toMatchObject({ "--web-host": "0.0.0.0", "--master-bind-host": "0.0.0.0", "--host": "http://demo:8099" });
    expect(master?.ports).toBeUndefined(); // published by docker-compose.override.yml, so the host-network file can do without
    const override = Bun.YAML.parse(read("docker-compose.override.yml")) as { services: Record<string, { ports?: string[] }> };
    expect(Object.keys(override.services)).toEqual(["master"]);
    // The worker port stays on the compose network: workers are other containers of the stack.
    expect(override.services.master?.ports).toEqual([`${image["--web-port"]}:${image["--web-port"]}`]);
  });

  test("passes every access setting master.py reads through to the master, and to no other service", () => {
    // All but LOADWORKER_MASTER_BIND: the command's --master-bind-host=0.0.0.0 wins over it.
    const settings = [...new Set(read("src/master/access.py").match(/LOADWORKER_[A-Z_]+/g))].filter((v) => v !== "LOADWORKER_MASTER_BIND");
    expect([...(master?.environment ?? [])].sort()).toEqual(settings.sort());
    expect(worker?.environment).toBeUndefined();
    expect(demo?.environment).toBeUndefined();
  });

  test("the host-network file puts every service on the host network, naming the services 127.0.0.1", () => {
    const host = Bun.YAML.parse(read("docker-compose.host.yml")) as {
      services: Record<string, { network_mode?: string; extra_hosts?: string[] }>;
    };
    expect(Object.keys(host.services).sort()).toEqual(Object.keys(compose.services).sort());
    for (const service of Object.values(host.services)) {
      expect(service.network_mode).toBe("host");
      expect([...(service.extra_hosts ?? [])].sort()).toEqual(
        Object.keys(compose.services)
          .filter((s) => s !== "worker")
          .map((s) => `${s}:127.0.0.1`)
          .sort(),
      );
    }
  });

  test("the host-network file keeps the master and the demo target on loopback, their commands otherwise the main file's", () => {
    const host = Bun.YAML.parse(read("docker-compose.host.yml")) as { services: Record<string, { command?: string[] }> };
    const loopback = (argv: string[] | undefined) =>
      (argv ?? [])
        .map((a) => a.replace(/=0\.0\.0\.0$/, "=127.0.0.1"))
        .map((a, i, all) => (all[i - 1] === "--bind" && a === "0.0.0.0" ? "127.0.0.1" : a));
    expect(host.services.master?.command).toEqual(loopback(master?.command as string[]));
    expect(host.services.demo?.command).toEqual(loopback(demo?.command as string[]));
    expect(JSON.stringify(host.services)).not.toContain("0.0.0.0");
  });

  test("runs scalable workers that join the master service", () => {
    expect(worker?.command).toEqual(["/app/loadworker", "--master-host", "master", "--master-port", "5557", "--processes", "-1"]);
    expect(worker?.container_name).toBeUndefined(); // a fixed name would break --scale worker=4
    expect(worker?.ports).toBeUndefined();
  });

  test("serves the demo target to the other containers", () => {
    expect(demo?.command).toEqual(["/app/loadworker", "demo-target", "--port", "8099", "--bind", "0.0.0.0"]);
  });
});

describe("deploy/k8s", () => {
  const master = k8sObject("Deployment", "locust-master");
  const service = k8sObject("Service", "locust-master");
  const worker = k8sObject("Deployment", "loadworker-worker");
  const demoService = k8sObject("Service", "loadworker-demo");

  test("the kustomization lists every manifest", () => {
    const kustomization = Bun.YAML.parse(read("deploy/k8s/kustomization.yaml")) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...k8sFiles].sort());
  });

  test("runs the master like the image does, with one replica", () => {
    const container = podContainer(master);
    const flags = locustFlags(container.command);
    const image = locustFlags(argvOf("program:locust"));
    expect(master.spec.replicas).toBe(1);
    expect(flags).toMatchObject({ "-f": image["-f"], "--master": "", "--web-port": "8090", "--master-bind-port": "5557" });
    expect(flags["--host"]).toBe(`http://${demoService.metadata.name}:${demoService.spec.ports[0].port}`);
    const ports = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
    expect(ports).toEqual({ web: 8090, master: 5557 });
  });

  test("the master Service is cluster-internal, and the login comes from an optional Secret", () => {
    expect(service.spec.type).toBe("ClusterIP");
    const env = podContainer(master).env.map((e: { name: string; valueFrom: { secretKeyRef: object } }) => [
      e.name,
      e.valueFrom.secretKeyRef,
    ]);
    expect(env).toEqual([
      ["LOADWORKER_WEB_USER", { name: "loadworker-web-login", key: "user", optional: true }],
      ["LOADWORKER_WEB_PASSWORD", { name: "loadworker-web-login", key: "password", optional: true }],
    ]);
  });

  test("the master Service exposes 8090 and 5557 and selects the master pods", () => {
    expect(service.spec.ports.map((p: { port: number; targetPort: string }) => [p.port, p.targetPort])).toEqual([
      [8090, "web"],
      [5557, "master"],
    ]);
    expect(master.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(worker.spec.template.metadata.labels).not.toMatchObject(service.spec.selector);
  });

  test("runs replicated workers pointed at the master Service", () => {
    const container = podContainer(worker);
    expect(worker.spec.replicas).toBeGreaterThan(1);
    expect(worker.spec.selector.matchLabels).toEqual(worker.spec.template.metadata.labels);
    const env = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const argv = [...container.command, ...container.args].map((a: string) => a.replace(/\$\((\w+)\)/g, (_, name) => env[name]));
    expect(argv).toEqual(["/app/loadworker", "--master-host", service.metadata.name, "--master-port", "5557", "--processes", "-1"]);
    expect(container.resources.limits.cpu).toBeDefined(); // what --processes -1 counts in a pod
  });

  test("every probe and Service names a port that the pods it reaches declare", () => {
    // Without Docker: a renamed port must not leave a probe that never answers or a Service without endpoints.
    const deployments = k8s.filter((o) => o.kind === "Deployment");
    const portNames = (d: K8sObject) => new Set((podContainer(d).ports ?? []).map((p: { name: string }) => p.name));
    for (const deployment of deployments) {
      const probe = podContainer(deployment).readinessProbe?.httpGet?.port;
      if (probe !== undefined)
        expect([deployment.metadata.name, portNames(deployment).has(probe)]).toEqual([deployment.metadata.name, true]);
    }
    for (const svc of k8s.filter((o) => o.kind === "Service")) {
      const pods = deployments.filter((d) => Object.entries(svc.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(pods.map((d) => d.metadata.name)).toHaveLength(1);
      for (const port of svc.spec.ports as { targetPort: string }[]) {
        expect([svc.metadata.name, port.targetPort, portNames(pods[0] as K8sObject).has(port.targetPort)]).toEqual([
          svc.metadata.name,
          port.targetPort,
          true,
        ]);
      }
    }
  });

  test("uses the compose image and runs every pod as the image's non-root user", () => {
    for (const deployment of k8s.filter((o) => o.kind === "Deployment")) {
      expect(podContainer(deployment).image).toBe(compose.services.master?.image as string);
      expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    }
    expect(read("Dockerfile")).toContain("--uid 10001");
  });
});

describe("README's two commands", () => {
  // The first fenced block under "## Two commands", one command a line (before its comment).
  const section =
    read("README.md")
      .split(/^## /m)
      .find((s) => s.startsWith("Two commands")) ?? "";
  const commands = (/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "")
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
  const ciRun = read(".ci/run")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));

  test("are scripts/up.sh and scripts/test.sh --full, and CI runs the second exactly as written, after npm ci", () => {
    expect(commands).toEqual(["scripts/up.sh", "scripts/test.sh --full"]);
    expect(ciRun.filter((l) => !/^(set |cd )/.test(l))).toEqual(["npm ci --no-audit --no-fund", `exec ${commands[1]}`]);
  });

  test("the first one is run by test/deploy/up.test.ts as a user would", () => {
    expect(read("test/deploy/up.test.ts")).toContain(`["bash", "${commands[0]}", "--detach"`);
  });
});
