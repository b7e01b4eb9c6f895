import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineTask, defineUser } from "../../src/index.ts";
import { masterPython } from "../../src/api/definitions.ts";
import { buildPlan } from "../../src/api/plan.ts";
import { renderLocustfile } from "../../src/master/locustfile.ts";
import { ROOT, VENV_BIN, e2eWorker, requireVenv, tempDir } from "../support/procs.ts";

const plan = buildPlan([
  defineTask({ name: "压测MockApi", fn: () => {} }),
  defineUser({
    name: "Shop",
    weight: 2,
    fixedCount: 3,
    tasks: [
      { name: "browse items", tags: ["read", "fast"], fn: () => {} },
      { name: 'say "hi"\\now', fn: () => {} },
    ],
  }),
  masterPython("master_extra.py", "from locust import events\n\nEXTRA_LOADED = True\n"),
]);

/** What Locust itself makes of the file: per class weight, fixed_count, and each task's __name__ and tags. */
function loadWithLocust(source: string): unknown {
  requireVenv();
  const file = join(tempDir("locustfile"), "master.py");
  writeFileSync(file, source);
  const script = [
    "import json, sys",
    "from locust.util.load_locustfile import load_locustfile",
    "users, _ = load_locustfile(sys.argv[1])",
    "import master",
    "print(json.dumps({'extra': master.EXTRA_LOADED, 'classes': {n: [u.weight, u.fixed_count, [[t.__name__, sorted(getattr(t, 'locust_tag_set', []))] for t in u.tasks]] for n, u in users.items()}}, ensure_ascii=False, sort_keys=True))",
  ].join("\n");
  const run = spawnSync(join(VENV_BIN, "python"), ["-c", script, file], { encoding: "utf8", cwd: join(file, "..") });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe("the generated master.py", () => {
  test("gives Locust each class's weight and fixed_count, and each task under its own name with its tags", () => {
    expect(loadWithLocust(renderLocustfile(plan))).toEqual({
      extra: true,
      classes: {
        DefaultUser: [1, 0, [["压测MockApi", []]]],
        Shop: [
          2,
          3,
          [
            ["browse items", ["fast", "read"]],
            ['say "hi"\\now', []],
          ],
        ],
      },
    });
  }, 30_000); // Python imports Locust (and gevent) first: several seconds on a busy machine

  test("appends the tasks/*.py files verbatim after the classes", () => {
    const text = renderLocustfile(plan);
    expect(text).toEndWith(
      "# ---- tasks/master_extra.py, appended verbatim by `loadworker locustfile` ----\nfrom locust import events\n\nEXTRA_LOADED = True\n",
    );
  });
});

describe("access.py, imported as text", () => {
  const access = readFileSync(join(ROOT, "src/master/access.py"), "utf8");

  test("the compiled binary carries it: its locustfile, run away from src/, holds the file's text", async () => {
    const bin = await e2eWorker();
    const printed = spawnSync(bin, ["locustfile"], { cwd: tempDir("binary-locustfile"), encoding: "utf8" });
    expect(printed.status, printed.stderr).toBe(0);
    expect(access).toContain("_DEFAULTS = {}");
    expect(printed.stdout).toContain(access.trim());
  }, 180_000);

  test("Deno reads it the same way: src/main.ts locustfile under Deno holds the file's text", () => {
    const printed = spawnSync(join(ROOT, "node_modules/.bin/deno"), ["run", "-A", "src/main.ts", "locustfile"], {
      cwd: ROOT,
      encoding: "utf8",
      // Tasks that import src/ by path: what this test asks of Deno is access.py, not the package's resolution.
      env: { ...process.env, NO_COLOR: "1", LOADWORKER_TASKS_DIR: join(ROOT, "test/e2e/tasks") },
    });
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(access.trim());
  }, 60_000);
});
