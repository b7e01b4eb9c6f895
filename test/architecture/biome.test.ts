// The whole repository is formatted and lint-clean by Biome (biome.jsonc), so both test commands
// fail on a long line, an unexplained `any` or a lint finding, not only a reviewer.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";

describe("the repository", () => {
  test("passes `biome ci .` (format and lint) with no diagnostics", () => {
    const biome = spawnSync(join(ROOT, "node_modules/.bin/biome"), ["ci", ".", "--colors=off"], { cwd: ROOT, encoding: "utf8" });
    const output = `${biome.stdout}${biome.stderr}`;
    expect(output).not.toMatch(/Found \d+ (errors?|warnings?|infos?)/);
    expect(biome.status, output).toBe(0);
  }, 30_000); // about 3 s alone; more beside the other test processes
});
