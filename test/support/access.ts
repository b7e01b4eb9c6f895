// A real Locust master (from .venv) running the generated master.py with chosen LOADWORKER_*
// access settings, for the login, TLS and bind tests.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { renderLocustfile } from "../../src/master/locustfile.ts";
import type { AccessDefaults } from "../../src/master/access.ts";
import { defineUser } from "../../src/index.ts";
import { accepts } from "./listeners.ts";
import { type Proc, ROOT, VENV_BIN, freePort, startProc, tempDir } from "./procs.ts";
import { waitFor } from "./wait.ts";

export const USER = "operator";
export const PASSWORD = "correct horse battery 🐎";
export const CERT = join(ROOT, "test/http/fixtures/cert.pem");
export const KEY = join(ROOT, "test/http/fixtures/key.pem");

export function masterPy(access: AccessDefaults = {}): string {
  const plan = buildPlan(collectDefinitions([defineUser({ name: "WebUser", tasks: [{ name: "noop", fn: () => {} }] })]));
  return renderLocustfile(plan, { tasksFrom: "tasks/", host: "http://127.0.0.1:9", access });
}

/** This process's environment without the machine's own LOADWORKER_* settings, plus `settings`. */
export function envWith(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("LOADWORKER_")) env[k] = v;
  return { ...env, ...settings };
}

export interface AccessMaster {
  dir: string;
  proc: Proc;
  webPort: number;
  masterPort: number;
}

/** `locust -f master.py --master` with its web UI on 127.0.0.1 and no bind flag for the worker port. */
export async function startAccessMaster(
  settings: Record<string, string>,
  opts: { waitForWeb?: boolean; baked?: AccessDefaults; extra?: string[] } = {},
): Promise<AccessMaster> {
  const dir = tempDir("access");
  writeFileSync(join(dir, "master.py"), masterPy(opts.baked));
  const webPort = await freePort();
  let masterPort = await freePort();
  while (masterPort === webPort) masterPort = await freePort();
  const args = [
    "-f",
    join(dir, "master.py"),
    "--master",
    "--web-host",
    "127.0.0.1",
    "--web-port",
    `${webPort}`,
    "--master-bind-port",
    `${masterPort}`,
    ...(opts.extra ?? []),
  ];
  const proc = startProc(join(VENV_BIN, "locust"), args, { cwd: dir, baseEnv: envWith(settings) });
  if (opts.waitForWeb ?? true) {
    await waitFor(
      async () => (await accepts(webPort)) || (proc.child.exitCode !== null ? new Error(proc.output()) : undefined),
      30_000,
      `the master's web UI on ${webPort}`,
    ).then((r) => {
      if (r instanceof Error) throw new Error(`the master exited:\n${r.message}`);
    });
  }
  return { dir, proc, webPort, masterPort };
}
