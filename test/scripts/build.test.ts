// scripts/build.ts's command line: --help prints usage and builds nothing; a stray argument is
// refused. What it compiles in comes from one listing of the tasks directory (src/project/task-dir.ts),
// through the same compile as `loadworker build` (src/project/build.ts).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readTaskDir } from "../../src/project/task-dir.ts";
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
  test("is listed once: task modules, master-side Python and .proto files (subfolders included) come from the same listing, sorted, tests and specs left out", () => {
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
      "types.d.ts",
      "greeter.proto",
      "users.csv",
      "tsconfig.json",
    ])
      writeFileSync(join(dir, name), "");
    for (const name of [
      "data/orders.jsonl",
      "data/deep/more.csv",
      "protos/shop/cart.proto",
      "node_modules/x/skip.csv",
      ".hidden/skip.csv",
      "helpers/util.ts",
    ]) {
      mkdirSync(join(dir, dirname(name)), { recursive: true });
      writeFileSync(join(dir, name), "");
    }
    expect(readTaskDir(dir)).toEqual({
      tasks: ["accounts.mjs", "shop.ts"],
      skipped: [],
      python: ["a_hook.py", "master_extra.py"],
      protos: ["greeter.proto", "protos/shop/cart.proto", "route_guide.proto"],
      carried: [
        "a_hook.py",
        "data/deep/more.csv",
        "data/orders.jsonl",
        "greeter.proto",
        "master_extra.py",
        "protos/shop/cart.proto",
        "route_guide.proto",
        "users.csv",
      ],
    });
  });

  test("scripts/build.ts lists nothing itself: it is `loadworker build`'s compile (buildBinary) with the repo's defaults", () => {
    const source = readFileSync(join(ROOT, "scripts/build.ts"), "utf8");
    expect(source.match(/\breaddir(Sync)?\(/g) ?? []).toEqual([]);
    expect(source.match(/\bbuildBinary\(/g)).toHaveLength(1);
  });
});
