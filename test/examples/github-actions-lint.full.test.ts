// examples/github-actions/loadtest.yml passes actionlint (rhysd/actionlint, the workflow checker
// GitHub users run; built from the Go module proxy by scripts/lib/actionlint.sh), which knows the
// workflow syntax, the actions' inputs and the expressions. A broken copy shows that it checks.
import { beforeAll, describe, expect, test } from "bun:test";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../support/procs.ts";

const WORKFLOW = join(ROOT, "examples/github-actions/loadtest.yml");
let actionlint: string;
beforeAll(() => {
  actionlint = execFileSync("bash", [join(ROOT, "scripts/lib/actionlint.sh")], { encoding: "utf8", timeout: 170_000 }).trim();
}, 180_000);

const lint = (file: string) => spawnSync(actionlint, ["-no-color", file], { encoding: "utf8" });

describe("examples/github-actions/loadtest.yml under actionlint", () => {
  test("has no finding", () => {
    const done = lint(WORKFLOW);
    expect(done.stdout + done.stderr).toBe("");
    expect(done.status).toBe(0);
  });

  test("a copy with a misspelt key and a job without runs-on has findings", () => {
    const broken = join(tempDir("actionlint"), "loadtest.yml");
    writeFileSync(broken, readFileSync(WORKFLOW, "utf8").replace("runs-on: ubuntu-latest", "run-on: ubuntu-latest"));
    const done = lint(broken);
    expect(done.status).toBe(1);
    expect(done.stdout).toContain('"runs-on" section is missing in job "loadtest"');
  });
});
