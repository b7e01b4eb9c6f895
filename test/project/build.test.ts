// `loadworker build DIR` (and scripts/build.ts, the same compile) loads the folder as `run --tasks DIR`
// does before compiling: a folder whose tasks cannot start stops the build with run's message and exit
// code, and writes no binary; run's warnings are printed at build; a good folder still builds.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUN, ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

// A good folder compiles (a second or more on a loaded core), besides Bun's start.
setDefaultTimeout(90_000);

let dir: string;

const FOLDERS: Record<string, string> = {
  throws:
    'import { defineTask } from "loadworker";\nconst config = JSON.parse("{bad");\nexport const t = defineTask({ name: "t", fn: () => config });\n',
  "no-exports": "export const answer = 42;\n",
  "bad-name":
    'import { defineUser } from "loadworker";\nexport const u = defineUser({ name: "my-user", tasks: [{ name: "t", fn: () => {} }] });\n',
  "twin-classes":
    'import { defineUser } from "loadworker";\n\nexport const u = defineUser({ name: "Shopper", tasks: [{ name: "a", fn: () => {} }] });\n',
  "zero-weight":
    'import { defineUser } from "loadworker";\nexport const u = defineUser({\n  name: "Light",\n  weight: 0,\n  tasks: [{ name: "t", fn: () => {} }],\n});\n',
  unexported:
    'import { defineTask, onMessage } from "loadworker";\nconst ping = onMessage("ping", () => {});\nexport const t = defineTask({ name: "t", fn: () => {} });\n',
};

beforeAll(() => {
  dir = tempDir("build-checks"); // outside the repo: "loadworker" resolves to the runtime, as for a user's folder
  for (const [folder, text] of Object.entries(FOLDERS)) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, "a.ts"), text);
  }
  // The same class name in a second file: both files are named.
  writeFileSync(
    join(dir, "twin-classes", "b.ts"),
    'import { defineUser } from "loadworker";\nexport const u = defineUser({ name: "Shopper", tasks: [{ name: "b", fn: () => {} }] });\n',
  );
});

async function loadworker(args: string[]) {
  const proc = startProc(BUN, [join(ROOT, "src/main.ts"), ...args], { cwd: dir, env: { NO_COLOR: "1" } });
  const code = await within(proc.exited, 90_000, `loadworker ${args.join(" ")}`);
  return { code, output: proc.output() };
}

describe("loadworker build refuses a folder that run would refuse: run's message and exit code, no binary", () => {
  const cases: Array<[string, string, number, RegExp]> = [
    [
      "a file that throws while it loads",
      "throws",
      2,
      /^loadworker: throws\/a\.ts:2: JSON Parse error.*; fix it and start again \[E_TASKS\]$/m,
    ],
    ["a folder that exports no task", "no-exports", 2, /^loadworker: no-exports: exports no task: export a defineTask/m],
    [
      "a user class whose name is not a Python identifier: its file and line, exit 2",
      "bad-name",
      2,
      /^loadworker: bad-name\/a\.ts:2: user class "my-user": the name must be a Python identifier .*\[E_CONFIG\]$/m,
    ],
    [
      "a user class weight of 0: the file and line of its defineUser, exit 2",
      "zero-weight",
      2,
      /^loadworker: zero-weight\/a\.ts:2: user class "Light": weight is 0; it must be a number > 0 \[E_CONFIG\]$/m,
    ],
    [
      "two user classes of one name in two files: both files, exit 2",
      "twin-classes",
      2,
      /^loadworker: two user classes are named "Shopper" \(at twin-classes\/a\.ts:3 and twin-classes\/b\.ts:2\); names must be unique, rename one \[E_CONFIG\]$/m,
    ],
  ];
  for (const [what, folder, exitCode, message] of cases) {
    test(what, async () => {
      const run = await loadworker(["run", "--tasks", folder, "-u", "1", "-t", "1s", "--host", "http://127.0.0.1:9"]);
      const build = await loadworker(["build", folder, "-o", `${folder}/loadworker`]);
      expect(run.output).toMatch(message);
      expect(build.output).toMatch(message);
      expect(build.output).not.toContain("built");
      expect([run.code, build.code]).toEqual([exitCode, exitCode]);
      expect(existsSync(join(dir, folder, "loadworker"))).toBe(false);
    });
  }
});

test("loadworker build prints run's warning for a definition made but not exported, and builds", async () => {
  const { code, output } = await loadworker(["build", "unexported", "-o", "unexported/loadworker"]);
  expect(code, output).toBe(0);
  expect(output).toContain('loadworker: warning: not exported, so not used: onMessage("ping") at unexported/a.ts:2');
  expect(output).toContain("loadworker: built unexported/loadworker from a.ts");
  const binary = startProc(join(dir, "unexported/loadworker"), ["--run-tasks", "t"], { cwd: dir });
  expect(await within(binary.exited, 30_000, "the built binary's --run-tasks t"), binary.output()).toBe(0);
});

test("scripts/build.ts refuses the same folders before compiling: the loader's message, exit 1, no binary", async () => {
  const outfile = join(dir, "throws", "from-script");
  const proc = startProc(BUN, [join(ROOT, "scripts/build.ts"), "--tasks", join(dir, "throws"), "--outfile", outfile]);
  expect(await within(proc.exited, 60_000, "scripts/build.ts")).toBe(1);
  expect(proc.output()).toMatch(/^build: .*throws\/a\.ts:2: JSON Parse error/m);
  expect(existsSync(outfile)).toBe(false);
});

test("loadworker build of a task file, not a folder, says build takes the folder", async () => {
  const { code, output } = await loadworker(["build", "unexported/a.ts"]);
  expect(code).toBe(2);
  expect(output).toContain("loadworker: unexported/a.ts: a file: build takes the folder of task files (unexported) [E_TASKS]");
});
