// `--tasks DIR|FILE` from source (`bun src/main.ts …`): task files outside the repo that import
// "loadworker" run under `run`, the worker (--run-tasks) and `locustfile`; bad ones stop the start
// with one message naming the file (and line), exit 2, and not one request sent.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, type CountingServer, ROOT, countingServer, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

// Each test starts Bun or Deno from source, up to three times: more than bun test's 5 s on a loaded core.
setDefaultTimeout(60_000);

let server: CountingServer;
let dir: string;

const CHECKOUT = `import { defineUser, readTaskFile } from "loadworker";
const skus = readTaskFile("data/skus.csv").trim().split("\\n").slice(1);
export const checkout = defineUser({
  name: "Checkout",
  tasks: [{ name: "buy", fn: async ({ client }) => { for (const sku of skus) await client.get(\`/buy/\${sku}\`); } }],
});
`;

beforeAll(async () => {
  server = await countingServer();
  dir = tempDir("tasks-flag"); // outside the repo: "loadworker" resolves to the runtime, not a node_modules
  mkdirSync(join(dir, "shop/data"), { recursive: true });
  writeFileSync(join(dir, "shop/checkout.ts"), CHECKOUT);
  writeFileSync(join(dir, "shop/data/skus.csv"), "sku\na1\nb2\n");
  writeFileSync(join(dir, "shop/helpers.ts"), "export const twice = (n: number) => 2 * n;\n");
  writeFileSync(join(dir, "shop/master_side.py"), "SHOP_MASTER_SIDE = True\n");
  const bad: Record<string, string> = {
    "syntax.ts": 'import { defineTask } from "loadworker";\n\nexport const t = defineTask({ name: "t", fn: () => {} ;\n',
    "missing-import.ts": 'import { gone } from "./gone.ts";\nexport const t = gone;\n',
    "missing-package.ts":
      'import { defineTask } from "loadworker";\nimport { sdk } from "@acme/not-installed/client";\nexport const t = defineTask({ name: "t", fn: () => sdk() });\n',
    "throws.ts":
      'import { defineTask } from "loadworker";\nconst config = JSON.parse("{ not json");\nexport const t = defineTask({ name: "t", fn: () => config });\n',
    "nothing.ts": "export const answer = 42;\n",
    "unexported.ts": `import { defineTask, defineUser, onMessage, onTestStart } from "loadworker";
export const shared = defineTask({ name: "shared", fn: async ({ client }) => void (await client.get("/shared")) });
const ping = onMessage("ping", () => {});
onTestStart(() => {});
const Hidden = defineUser({ name: "Hidden", tasks: [{ name: "inline", fn: () => {} }] });
export const shown = defineUser({ name: "Shown", tasks: [shared, { name: "own", fn: () => {} }] });
`,
  };
  for (const [file, text] of Object.entries(bad)) writeFileSync(join(dir, file), text);
}, 30_000);

afterAll(() => server?.close());

async function loadworker(args: string[], env: Record<string, string> = {}) {
  const proc = startProc(BUN, [join(ROOT, "src/main.ts"), ...args], { cwd: dir, env: { NO_COLOR: "1", ...env } });
  const code = await within(proc.exited, 60_000, `loadworker ${args.join(" ")}`);
  return { code, output: proc.output() };
}

describe("--tasks from source", () => {
  test("run --tasks DIR runs its user class; a .csv beside it is read with readTaskFile", async () => {
    const before = server.total();
    const { code, output } = await loadworker(["run", "--tasks", "shop", "-u", "1", "-t", "2s", "--host", server.url]);
    expect(code, output).toBe(0);
    expect(server.counts.get("/buy/a1") ?? 0).toBeGreaterThan(0);
    expect(server.counts.get("/buy/b2") ?? 0).toBeGreaterThan(0);
    expect(server.total()).toBeGreaterThan(before);
    // helpers.ts exports no definition: said once, not fatal.
    expect(output).toContain("shop/helpers.ts exports no task, user class, hook or handler");
  });

  test("a .cts or .tsx file beside the task modules is named in a warning, not dropped in silence", async () => {
    mkdirSync(join(dir, "mixed"));
    const user = (name: string) =>
      `import { defineUser } from "loadworker";\nexport const u = defineUser({ name: "${name}", tasks: [{ name: "${name}-t", fn: () => {} }] });\n`;
    writeFileSync(join(dir, "mixed/a.ts"), user("Kept"));
    writeFileSync(join(dir, "mixed/b.cts"), user("Lost"));
    writeFileSync(join(dir, "mixed/c.tsx"), user("AlsoLost"));
    const { code, output } = await loadworker(["locustfile", "--tasks", "mixed"]);
    expect(code, output).toBe(0);
    expect(output).toContain(
      "loadworker: warning: --tasks mixed: b.cts, c.tsx not loaded: task modules are .ts, .js, .mts or .mjs files (rename them)",
    );
    expect(output).toContain("class Kept(User):");
  });

  test("a plain object shaped like a user class, not made with defineUser, is named: the error when alone, a warning beside others", async () => {
    mkdirSync(join(dir, "plain"));
    writeFileSync(join(dir, "plain/shop.ts"), 'export const shop = { name: "Shop", tasks: [{ name: "home", fn: async () => {} }] };\n');
    const hint = "exports shop, a plain object shaped like a user class or task, which is not run: wrap it in defineUser({ name, tasks })";
    const alone = await loadworker(["run", "--tasks", "plain", "-u", "1", "-t", "1s"]);
    expect(alone.code, alone.output).toBe(2);
    expect(alone.output).toMatch(/^loadworker: plain: exports no task: .*; plain\/shop\.ts exports shop, a plain object/);
    writeFileSync(
      join(dir, "plain/good.ts"),
      'import { defineTask } from "loadworker";\nexport const t = defineTask({ name: "t", fn: () => {} });\n',
    );
    const beside = await loadworker(["locustfile", "--tasks", "plain"]);
    expect(beside.code, beside.output).toBe(0);
    expect(beside.output).toContain(`loadworker: warning: plain/shop.ts ${hint}`);
  });

  test("a .d.ts given as --tasks FILE is refused as not a task file", async () => {
    writeFileSync(join(dir, "types.d.ts"), "export declare const x: number;\n");
    const { code, output } = await loadworker(["run", "--tasks", "types.d.ts", "-u", "1", "-t", "1s"]);
    expect(code, output).toBe(2);
    expect(output).toContain("loadworker: --tasks types.d.ts: not a task file (.ts, .js, .mts, .mjs; not a .d.ts) or a folder [E_TASKS]");
  });

  test("the worker's --run-tasks takes a single FILE", async () => {
    const { code, output } = await loadworker(["--tasks", "shop/checkout.ts", "--run-tasks", "buy", "--host", server.url]);
    expect(code, output).toBe(0);
    expect(output).toContain("buy: 2 recorded, 0 failed");
  });

  test("locustfile --tasks DIR declares the loaded classes and appends the folder's .py files", async () => {
    const { code, output } = await loadworker(["locustfile", "--tasks", "shop"]);
    expect(code, output).toBe(0);
    expect(output).toContain("class Checkout(User):");
    expect(output).not.toContain("class ShopUser(User):"); // the repo's tasks/ are replaced, not added to
    expect(output).toContain("SHOP_MASTER_SIDE = True");
  });

  test("LOADWORKER_TASKS does what --tasks does (the image's mounted folder)", async () => {
    const { code, output } = await loadworker(["locustfile"], { LOADWORKER_TASKS: join(dir, "shop") });
    expect(code, output).toBe(0);
    expect(output).toContain("class Checkout(User):");
  });

  test("a LOADWORKER_TASKS that names no file says LOADWORKER_TASKS, not a --tasks nobody typed", async () => {
    const { code, output } = await loadworker(["--master-port", "1"], { LOADWORKER_TASKS: "/nowhere" });
    expect(code, output).toBe(2);
    expect(output.trim()).toBe("loadworker: LOADWORKER_TASKS=/nowhere: no such file or folder [E_TASKS]");
  });

  test('under Deno, a file outside the repo runs with "loadworker" mapped by --import-map (docs/package.md)', async () => {
    writeFileSync(join(dir, "map.json"), JSON.stringify({ imports: { loadworker: join(ROOT, "src/index.ts") } }));
    const deno = join(ROOT, "node_modules/.bin/deno");
    const args = ["run", "-A", "--import-map", "map.json", join(ROOT, "src/main.ts"), "--tasks", "shop/checkout.ts", "--run-tasks", "buy"];
    const proc = startProc(deno, [...args, "--host", server.url], { cwd: dir, env: { NO_COLOR: "1" } });
    expect(await within(proc.exited, 60_000, "deno run src/main.ts --tasks"), proc.output()).toBe(0);
    expect(proc.output()).toContain("buy: 2 recorded, 0 failed");
  });

  test("under Deno, an import that does not resolve gets Bun's one line: file, line, the import as written, what to do, no colour codes", async () => {
    writeFileSync(join(dir, "map.json"), JSON.stringify({ imports: { loadworker: join(ROOT, "src/index.ts") } }));
    const deno = join(ROOT, "node_modules/.bin/deno");
    for (const [file, message] of [
      [
        "missing-package.ts",
        'loadworker: missing-package.ts:2: cannot find module "@acme/not-installed/client": install it in the project (npm i @acme/not-installed)',
      ],
      ["missing-import.ts", 'loadworker: missing-import.ts:1: cannot find module "./gone.ts"; fix it and start again [E_TASKS]'],
    ]) {
      const args = ["run", "-A", "--import-map", "map.json", join(ROOT, "src/main.ts"), "run", "--tasks", file as string, "-u", "1"];
      const env = { ...process.env };
      delete env.NO_COLOR; // Deno colours its own messages into a pipe unless told not to
      const proc = startProc(deno, args, { cwd: dir, baseEnv: env });
      expect(await within(proc.exited, 60_000, `deno run src/main.ts --tasks ${file}`), proc.output()).toBe(2);
      expect(proc.output().trim().split("\n")).toEqual([expect.stringContaining(message as string)]);
    }
  });

  test('under Deno, a CommonJS task file\'s require("loadworker") (no import map for require) is told to be an ES module', async () => {
    const cjs = join(dir, "cjs-deno");
    mkdirSync(join(cjs, "tasks"), { recursive: true });
    mkdirSync(join(cjs, "node_modules/loadworker/src"), { recursive: true });
    // What npm installs: the package's exports name its .ts sources, which Deno does not strip under node_modules.
    const pkg = { name: "loadworker", type: "module", exports: { ".": "./src/index.ts" } };
    writeFileSync(join(cjs, "node_modules/loadworker/package.json"), JSON.stringify(pkg));
    writeFileSync(join(cjs, "node_modules/loadworker/src/index.ts"), "export const defineUser = (spec: object): object => spec;\n");
    writeFileSync(join(cjs, "tasks/package.json"), '{ "type": "commonjs" }\n');
    writeFileSync(
      join(cjs, "tasks/t.js"),
      'const { defineUser } = require("loadworker");\nmodule.exports.u = defineUser({ name: "U", tasks: [] });\n',
    );
    writeFileSync(join(cjs, "map.json"), JSON.stringify({ imports: { loadworker: join(ROOT, "src/index.ts") } }));
    const deno = join(ROOT, "node_modules/.bin/deno");
    const args = ["run", "-A", "--import-map", "map.json", join(ROOT, "src/main.ts"), "run", "--tasks", "tasks", "-u", "1"];
    const proc = startProc(deno, args, { cwd: cjs, env: { NO_COLOR: "1" } });
    expect(await within(proc.exited, 60_000, "deno run --tasks with a CommonJS file"), proc.output()).toBe(2);
    expect(proc.output()).toContain(
      'loadworker: tasks/t.js: require("loadworker") under Deno skips the import map and reaches the package\'s TypeScript sources: write the task file as an ES module',
    );
  });

  test("a handler, hook or user class made but not exported is named with its line in one warning", async () => {
    const { code, output } = await loadworker(["--tasks", "unexported.ts", "--run-tasks", "own"]);
    expect(code, output).toBe(0);
    const warnings = output.split("\n").filter((l) => l.includes("not exported"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('onMessage("ping") at unexported.ts:3');
    expect(warnings[0]).toContain("onTestStart(…) at unexported.ts:4");
    expect(warnings[0]).toContain('defineUser "Hidden" at unexported.ts:5');
    // Tasks of a user class, exported or not, and an exported task a class lists are not named.
    expect(warnings[0]).not.toContain('"inline"');
    expect(warnings[0]).not.toContain('"own"');
    expect(warnings[0]).not.toContain('"shared"');
  });
});

test("loadworker build of a folder with a file that does not compile: exit 2 naming file and line, no binary", async () => {
  const broken = join(dir, "broken-build");
  mkdirSync(broken);
  writeFileSync(
    join(broken, "syntax.ts"),
    'import { defineTask } from "loadworker";\n\nexport const t = defineTask({ name: "t", fn: () => {} ;\n',
  );
  const { code, output } = await loadworker(["build", "broken-build", "-o", "broken-build/loadworker"]);
  expect(code, output).toBe(2);
  expect(output).toMatch(/broken-build\/syntax\.ts:3:\d+: Expected/);
  expect(existsSync(join(broken, "loadworker"))).toBe(false);
});

describe("bad --tasks: one message naming the file, exit 2, no load", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["a missing path", "nowhere.ts", /^loadworker: --tasks nowhere\.ts: no such file or folder \[E_TASKS\]\n$/],
    ["a syntax error", "syntax.ts", /^loadworker: syntax\.ts:3:\d+: .+; fix it and start again\n {4}export const t = defineTask/],
    [
      "an import that does not resolve",
      "missing-import.ts",
      /^loadworker: missing-import\.ts:1: cannot find module "\.\/gone\.ts"; fix it/,
    ],
    [
      "a package the project did not install",
      "missing-package.ts",
      /^loadworker: missing-package\.ts:2: cannot find module "@acme\/not-installed\/client": install it in the project \(npm i @acme\/not-installed\)/,
    ],
    ["a throw while the file loads", "throws.ts", /^loadworker: throws\.ts:2: .*JSON.*; fix it and start again/],
    ["a file that exports no task", "nothing.ts", /^loadworker: nothing\.ts: exports no task: export a defineTask\(\.\.\.\) or defineUser/],
    ["a file that is not a task module", "shop/data/skus.csv", /^loadworker: --tasks shop\/data\/skus\.csv: not a task file/],
  ];
  for (const [what, path, message] of cases) {
    test(`${what}`, async () => {
      const before = server.total();
      for (const args of [
        ["run", "--tasks", path, "-u", "1", "-t", "2s", "--host", server.url],
        ["--tasks", path, "--master-port", "1", "--host", server.url],
        ["locustfile", "--tasks", path],
      ]) {
        const { code, output } = await loadworker(args);
        expect(code, output).toBe(2);
        const errors = output.split("\n").filter((l) => l.startsWith("loadworker:"));
        expect(errors, output).toHaveLength(1);
        expect(output.trimStart()).toMatch(message);
      }
      expect(server.total()).toBe(before);
    });
  }
});
