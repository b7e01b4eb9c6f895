// scripts/build.ts's command line: --help prints usage and builds nothing; a stray argument is
// refused. What it compiles in comes from one listing of the tasks directory (task-dir.ts).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readTaskDir } from "../../scripts/task-dir.ts";
import { BUN, ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";

async function build(args: string[]) {
  const proc = startProc(BUN, [join(ROOT, "scripts/build.ts"), ...args]);
  const code = await within(proc.exited, 30_000, `scripts/build.ts ${args.join(" ")}`);
  return { code, output: proc.output() };
}

describe("scripts/build.ts", () => {
  test("--help prints the usage and exits 0 without building", async () => {
    const outfile = join(tempDir("build-help"), "loadworker");
    const { code, output } = await build(["--outfile", outfile, "--help"]);
    expect(code).toBe(0);
    expect(output).toContain("Usage: bun scripts/build.ts [--outfile PATH] [--tasks DIR]");
    expect(existsSync(outfile)).toBe(false);
  });

  test("an unknown argument exits 2 with the usage and builds nothing", async () => {
    const outfile = join(tempDir("build-bad"), "loadworker");
    const { code, output } = await build(["--outfile", outfile, "--bogus"]);
    expect(code).toBe(2);
    expect(output).toContain('unexpected argument "--bogus"');
    expect(existsSync(outfile)).toBe(false);
  });
});

describe("the tasks directory", () => {
  test("is listed once: task modules, master-side Python and .proto files come from the same listing, sorted, tests and specs left out", () => {
    const dir = tempDir("build-task-dir");
    for (const name of [
      "shop.ts",
      "accounts.mjs",
      "shop.test.ts",
      "cart.spec.ts",
      "master_extra.py",
      "a_hook.py",
      "route_guide.proto",
      "README.md",
      "old.ts.bak",
    ])
      writeFileSync(join(dir, name), "");
    expect(readTaskDir(dir)).toEqual({
      tasks: ["accounts.mjs", "shop.ts"],
      python: ["a_hook.py", "master_extra.py"],
      protos: ["route_guide.proto"],
    });
  });

  test("scripts/build.ts reads the directory only through readTaskDir (it listed it twice, once per kind of file)", () => {
    const source = readFileSync(join(ROOT, "scripts/build.ts"), "utf8");
    expect(source.match(/\breaddir(Sync)?\(/g) ?? []).toEqual([]);
    expect(source.match(/\breadTaskDir\(/g)).toHaveLength(1);
  });
});
