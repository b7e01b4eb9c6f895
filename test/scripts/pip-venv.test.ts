// scripts/lib/pip-venv.sh, which every Python peer's venv goes through: a Python too old for the
// pinned packages is refused before pip runs, with the version to install, and nothing is made.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../support/procs.ts";

const dir = tempDir("pip-venv");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `python` that says it is `version` (all pip_venv asks before making the venv). */
function pythonSaying(version: string): string {
  const path = join(dir, `python${version}`);
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return path;
}

function pipVenv(python: string, minPython: string | undefined, ...packages: string[]) {
  const venv = join(dir, `venv-${python.split("/").pop()}`);
  const script = `source scripts/lib/pip-venv.sh; ${minPython ? `MIN_PYTHON=${minPython}; ` : ""}pip_venv "$1" "$1/.stamp" "\${@:2}"`;
  const run = spawnSync("bash", ["-c", script, "pip-venv", venv, ...packages], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PYTHON: python },
  });
  return { code: run.status, stderr: run.stderr, made: existsSync(venv) };
}

describe("pip_venv", () => {
  test("refuses a Python older than MIN_PYTHON, naming the packages and the version to install", () => {
    const run = pipVenv(pythonSaying("3.9"), "3.11", "locust==2.47.0", "supervisor==4.3.0");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("is Python 3.9; locust==2.47.0, supervisor==4.3.0 need Python 3.11+. Install it (e.g. python3.11)");
    expect(run.made).toBe(false);
  });

  test("compares versions as numbers: 3.10 is newer than 3.9", () => {
    // A fake 3.10 passes the check and then fails at `python -m venv` (it is not a real Python).
    const run = pipVenv(pythonSaying("3.10"), "3.9", "websockets==17.4");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("-m venv' failed");
    expect(run.stderr).not.toContain("need Python");
  });

  test("a PYTHON that does not exist is named, with what to install", () => {
    const run = pipVenv(join(dir, "no-such-python"), "3.11", "locust==2.47.0");
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("no-such-python not found. Install Python 3.11+");
  });
});
