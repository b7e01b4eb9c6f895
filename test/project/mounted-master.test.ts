// LOADWORKER_TASKS on both sides, as the image runs with a mounted task folder: the worker binary
// loads the folder instead of its compiled-in tasks, and the master.py built beside it restarts
// the Locust master on the master.py of that folder (src/master/mounted.py), so the master
// declares the mounted classes. A real master and a local counting server; no Docker here
// (test/deploy/image-tasks.full.test.ts runs the image).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseStatsCsv } from "../support/master.ts";
import { type CountingServer, VENV_BIN, buildWorker, countingServer, freePort, requireVenv, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

let server: CountingServer;
let app: string; // loadworker + master.py, as the image's /app
let mounted: string;

beforeAll(async () => {
  requireVenv();
  server = await countingServer();
  const compiled = tempDir("mounted-compiled");
  writeFileSync(
    join(compiled, "inside.ts"),
    'import { defineUser } from "loadworker";\nexport const inside = defineUser({ name: "CompiledIn", tasks: [{ name: "inside", fn: async ({ client }) => void (await client.get("/compiled-in")) }] });\n',
  );
  app = tempDir("mounted-app");
  await buildWorker(compiled, join(app, "loadworker"));
  writeFileSync(join(app, "master.py"), execFileSync(join(app, "loadworker"), ["locustfile"], { encoding: "utf8" }));
  mounted = tempDir("mounted-tasks");
  writeFileSync(
    join(mounted, "mounted.ts"),
    'import { constant, defineUser } from "loadworker";\nexport const m = defineUser({ name: "Mounted", waitTime: constant(0.05), tasks: [{ name: "mounted", fn: async ({ client }) => void (await client.get("/mounted")) }] });\n',
  );
  writeFileSync(join(mounted, "side.py"), "MOUNTED_SIDE = True\nprint('mounted side.py loaded', flush=True)\n");
}, 180_000);

afterAll(() => server?.close());

async function master(env: Record<string, string>, port: number, dir: string) {
  const args = ["-f", join(app, "master.py"), "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", String(port)];
  args.push("--headless", "--expect-workers", "1", "--expect-workers-max-wait", "60", "-u", "3", "-r", "3", "-t", "4s");
  args.push("--csv", join(dir, "run"), "--only-summary", "--host", server.url);
  return startProc(join(VENV_BIN, "locust"), args, { cwd: dir, env });
}

describe("LOADWORKER_TASKS for the master and the worker", () => {
  test("the master declares the mounted classes (its master.py's own are not used) and the worker runs them", async () => {
    const port = await freePort();
    const dir = tempDir("mounted-run");
    const env = { LOADWORKER_TASKS: mounted };
    const locust = await master(env, port, dir);
    const worker = startProc(join(app, "loadworker"), ["--master-port", String(port)], { env });
    const code = await within(locust.exited, 120_000, "the master to finish");
    expect(await within(worker.exited, 15_000, "the worker to exit")).toBe(0);
    const log = locust.output();
    expect(code, log).toBe(0);
    expect(log).toContain(`loadworker master: LOADWORKER_TASKS=${mounted}: the master declares the classes of those task files`);
    expect(log).toContain("mounted side.py loaded"); // the folder's master-side Python, not the compiled-in one's
    expect(log).toMatch(/"Mounted": 3/);
    expect(log).not.toContain("CompiledIn");
    const rows = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"));
    expect(rows.find((r) => r.name === "/mounted")?.requests ?? 0).toBeGreaterThan(0);
    expect(server.counts.get("/mounted") ?? 0).toBeGreaterThan(0);
    expect(server.counts.get("/compiled-in")).toBeUndefined();
  }, 180_000);

  test("a mounted folder that does not load stops the master with the loader's message", async () => {
    const locust = await master({ LOADWORKER_TASKS: join(mounted, "missing") }, await freePort(), tempDir("mounted-bad"));
    const code = await within(locust.exited, 60_000, "the master to stop");
    expect(code).not.toBe(0);
    expect(locust.output()).toContain(`loadworker master: error: LOADWORKER_TASKS=${join(mounted, "missing")}: loadworker: --tasks`);
    expect(locust.output()).toContain("no such file or folder");
  }, 90_000);

  test("a master.py with no loadworker binary beside it stops the master with one line saying what to do, no traceback", async () => {
    const alone = tempDir("mounted-no-binary"); // a project's master.py, run by hand: no ./loadworker built
    writeFileSync(join(alone, "master.py"), readFileSync(join(app, "master.py"), "utf8"));
    const args = [
      "-f",
      join(alone, "master.py"),
      "--master",
      "--master-bind-host",
      "127.0.0.1",
      "--master-bind-port",
      String(await freePort()),
    ];
    const locust = startProc(join(VENV_BIN, "locust"), [...args, "--headless", "-u", "1", "-t", "3s"], {
      cwd: alone,
      env: { LOADWORKER_TASKS: mounted },
    });
    expect(await within(locust.exited, 60_000, "the master to stop")).toBe(78); // access.py's _refuse: EX_CONFIG
    const output = locust.output();
    expect(output).not.toContain("Traceback");
    const errors = output.split("\n").filter((l) => l.startsWith("loadworker master: error:"));
    expect(errors).toEqual([
      `loadworker master: error: LOADWORKER_TASKS=${mounted}: master.py declares those tasks' classes with the loadworker binary beside it, and ${join(alone, "loadworker")} cannot run (No such file or directory): build it there (npx loadworker build ${mounted} -o ${join(alone, "loadworker")}), or unset LOADWORKER_TASKS for the master and give it the master.py of npx loadworker locustfile --tasks ${mounted}`,
    ]);
  }, 90_000);
});
