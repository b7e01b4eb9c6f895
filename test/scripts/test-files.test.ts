// The split of scripts/test.sh (quick) and scripts/test.sh --full: every file bun would run as a
// test is in exactly one of the two, and one that neither runs is named.
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suiteOf, testFiles } from "../../scripts/lib/test-files.ts";
import { ROOT, tempDir } from "../support/procs.ts";

describe("the test files of the two commands", () => {
  test("in this repository: every one in exactly one suite, none in neither", () => {
    const files = testFiles(ROOT);
    expect(files.neither).toEqual([]);
    expect(files.fast).toContain("test/scripts/test-files.test.ts");
    expect(files.full).toContain("test/soak/soak.full.test.ts");
    expect(files.fast.filter((f) => files.full.includes(f))).toEqual([]);
  });

  test("*.full.test.ts is --full only; any other *.test.ts runs in both", () => {
    expect(suiteOf("test/e2e/rate-limit.full.test.ts")).toBe("full");
    expect(suiteOf("test/e2e/worker.test.ts")).toBe("fast");
  });

  test("a file bun takes for a test but neither command runs is reported, and dependencies are not looked at", () => {
    const root = tempDir("test-files");
    for (const file of ["test/a.test.ts", "test/b.full.test.ts", "test/c.spec.ts", "src/d_test.ts", "node_modules/x/e.test.ts"]) {
      mkdirSync(join(root, file, ".."), { recursive: true });
      writeFileSync(join(root, file), "");
    }
    expect(testFiles(root)).toEqual({
      fast: ["test/a.test.ts"],
      full: ["test/b.full.test.ts"],
      neither: ["src/d_test.ts", "test/c.spec.ts"],
    });
  });
});
