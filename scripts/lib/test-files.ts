// Which test files scripts/test.sh runs, and in which of its two commands: a file named
// `*.full.test.ts` (Docker, Chromium, go-httpbin, or more than ~30 s) runs only in
// `scripts/test.sh --full`; every other `test/**/*.test.ts` runs in both. A file that bun would
// take for a test (`*.test.*`, `*_test.*`, `*.spec.*`, `*_spec.*`) but that matches neither is
// an error: it would be silently left out.
import { Glob } from "bun";

export type Suite = "fast" | "full";

export interface TestFiles {
  fast: string[];
  full: string[];
  /** Files bun would run as tests that neither command runs. */
  neither: string[];
}

const BUN_TEST_NAMES = new Glob("**/*{.test,_test,.spec,_spec}.{ts,tsx,js,jsx,mjs,cjs,mts,cts}");
const OURS = /^test\/.+\.test\.ts$/;
// Folders that hold other projects' files (dependencies, venvs, caches, build output).
const NOT_OURS = /^(node_modules|\.venv[^/]*|\.cache|\.build|\.run|\.git|dist|bench\/out)\//;

export function suiteOf(file: string): Suite {
  return file.endsWith(".full.test.ts") ? "full" : "fast";
}

export function testFiles(root: string): TestFiles {
  const files: TestFiles = { fast: [], full: [], neither: [] };
  for (const file of BUN_TEST_NAMES.scanSync({ cwd: root, dot: false })) {
    if (NOT_OURS.test(file) || file.includes("/node_modules/")) continue;
    if (OURS.test(file)) files[suiteOf(file)].push(file);
    else files.neither.push(file);
  }
  for (const list of Object.values(files)) list.sort();
  return files;
}
