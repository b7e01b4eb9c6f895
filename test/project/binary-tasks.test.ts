// The compiled binary alone in an empty folder with one .ts file and no node_modules, as k6 runs a
// script: `run --tasks FILE` and the worker with `--tasks FILE` under a real Locust master (its
// master.py from `locustfile --tasks`), "loadworker" resolved to the runtime inside the binary.
// The compiled-in tasks are not evaluated then; without --tasks they run, with their .csv carried in.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { masterComplaints, startHeadlessMaster } from "../support/master.ts";
import { BUN, type CountingServer, ROOT, buildWorker, countingServer, requireVenv, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

let server: CountingServer;
let bin: string;
let empty: string;

const FROM_DISK = `import { between, defineUser } from "loadworker";
export const disk = defineUser({
  name: "FromDisk",
  waitTime: between(0.05, 0.1),
  tasks: [{ name: "disk page", fn: async ({ client }) => { await client.get("/from-disk"); } }],
});
`;
// Compiled in: says so when evaluated, and reads a carried file at the top level.
const COMPILED = `import { defineTask, readTaskFile } from "loadworker";
const paths = readTaskFile("paths.csv").trim().split("\\n");
console.error("compiled-in tasks evaluated");
export const inside = defineTask({ name: "inside", fn: async ({ client }) => { for (const p of paths) await client.get(p); } });
`;

beforeAll(async () => {
  requireVenv();
  server = await countingServer();
  const tasks = tempDir("binary-compiled");
  writeFileSync(join(tasks, "inside.ts"), COMPILED);
  writeFileSync(join(tasks, "paths.csv"), "/carried-a\n/carried-b\n");
  const built = await buildWorker(tasks, join(tempDir("binary-out"), "loadworker"));
  empty = tempDir("binary-alone");
  bin = join(empty, "loadworker");
  copyFileSync(built, bin);
  writeFileSync(join(empty, "checkout.ts"), FROM_DISK);
  expect(readdirSync(empty).sort()).toEqual(["checkout.ts", "loadworker"]);
}, 180_000);

afterAll(() => server?.close());

async function binary(args: string[]) {
  const proc = startProc(bin, args, { cwd: empty, env: { NO_COLOR: "1" } });
  const code = await within(proc.exited, 60_000, `loadworker ${args.join(" ")}`);
  return { code, output: proc.output() };
}

describe("the compiled binary with --tasks", () => {
  test("run --tasks FILE runs the file's class; the compiled-in tasks are not even evaluated", async () => {
    const { code, output } = await binary(["run", "--tasks", "./checkout.ts", "-u", "2", "-r", "2", "-t", "2s", "--host", server.url]);
    expect(code, output).toBe(0);
    expect(server.counts.get("/from-disk") ?? 0).toBeGreaterThan(5);
    expect(server.counts.get("/carried-a")).toBeUndefined();
    expect(output).not.toContain("compiled-in tasks evaluated");
  });

  test("as a worker with --tasks FILE under a real master: the server counts its requests", async () => {
    const locustfile = await binary(["locustfile", "--tasks", "checkout.ts"]);
    expect(locustfile.code, locustfile.output).toBe(0);
    expect(locustfile.output).toContain("class FromDisk(User):");
    const before = server.counts.get("/from-disk") ?? 0;
    const run = await startHeadlessMaster({ locustfile: locustfile.output, users: 3, spawnRate: 3, runTime: "4s", host: server.url });
    const worker = startProc(bin, ["--tasks", "checkout.ts", "--master-port", String(run.port)], { cwd: empty });
    const result = await run.result();
    expect(await within(worker.exited, 15_000, "the worker to exit")).toBe(0);
    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code, result.log).toBe(0);
    const row = result.rows.find((r) => r.name === "/from-disk");
    expect(row?.requests ?? 0).toBeGreaterThan(5);
    expect((server.counts.get("/from-disk") ?? 0) - before).toBeGreaterThanOrEqual(row?.requests ?? Number.NaN);
  }, 120_000);

  test('a tsconfig.json "paths" alias, which the binary does not read: the message names the alias and says to import by a relative path', async () => {
    const aliased = join(empty, "aliased");
    mkdirSync(join(aliased, "lib"), { recursive: true });
    writeFileSync(
      join(aliased, "tsconfig.json"),
      '{\n  // the project\'s aliases\n  "compilerOptions": { "paths": { "@lib/*": ["./lib/*"] } },\n}\n',
    );
    writeFileSync(join(aliased, "lib/pages.ts"), 'export const page = "/aliased";\n');
    writeFileSync(
      join(aliased, "a.ts"),
      'import { defineTask } from "loadworker";\nimport { page } from "@lib/pages";\nexport const t = defineTask({ name: "t", fn: async ({ client }) => void (await client.get(page)) });\n',
    );
    const { code, output } = await binary(["run", "--tasks", "aliased", "-u", "1", "-t", "1s", "--host", server.url]);
    expect(code, output).toBe(2);
    expect(output).toContain(
      'loadworker: aliased/a.ts:2: cannot find module "@lib/pages": it is the "paths" alias "@lib/*" of aliased/tsconfig.json, which task files loaded at run time',
    );
    expect(output).toContain("import it by a relative path");
  });

  test("build says it needs the npm package: the binary carries no sources to compile", async () => {
    const { code, output } = await binary(["build", ".", "-o", "again"]);
    expect(code).toBe(2);
    expect(output).toContain("run npx loadworker build in a project with the npm package");
  });

  test("without --tasks the compiled-in tasks run, reading the .csv built into the binary", async () => {
    mkdirSync(join(empty, "elsewhere"), { recursive: true }); // nothing on disk to read it from
    const proc = startProc(bin, ["--run-tasks", "inside", "--host", server.url], { cwd: join(empty, "elsewhere") });
    expect(await within(proc.exited, 30_000, "--run-tasks inside")).toBe(0);
    expect(proc.output()).toContain("compiled-in tasks evaluated");
    expect(server.counts.get("/carried-a")).toBe(1);
    expect(server.counts.get("/carried-b")).toBe(1);
  });
});

describe("the compiled binary's init", () => {
  test("scaffolds a project as npx loadworker init does: the templates travel inside the binary", async () => {
    const project = tempDir("binary-init");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "shop" }));
    const proc = startProc(bin, ["init"], { cwd: project, env: { NO_COLOR: "1" } });
    const code = await within(proc.exited, 30_000, "loadworker init");
    expect(code, proc.output()).toBe(0);
    const source = tempDir("source-init");
    writeFileSync(join(source, "package.json"), JSON.stringify({ name: "shop" }));
    const fromSource = startProc(BUN, [join(ROOT, "src/main.ts"), "init"], { cwd: source, env: { NO_COLOR: "1" } });
    expect(await within(fromSource.exited, 30_000, "source init")).toBe(0);
    for (const file of [
      "loadtests/example.ts",
      "loadtests/Dockerfile",
      "loadtests/supervisord.conf",
      "loadtests/supervisord.sh",
      "tsconfig.json",
    ]) {
      expect([file, readFileSync(join(project, file), "utf8")]).toEqual([file, readFileSync(join(source, file), "utf8")]);
    }
    expect(readFileSync(join(project, "loadtests/example.ts"), "utf8")).toContain('from "loadworker"');
  });
});
