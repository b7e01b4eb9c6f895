// scripts/build.ts's command line: --help prints usage and builds nothing; a stray argument is refused.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
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
