// The layer rules hold for src/, and the checker catches what breaks them.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";
import { checkLayers, importsOf, layerOf, readSources } from "./layers.ts";

const SRC = join(ROOT, "src");
/** About 200 lines per file (STYLE.md); a file past this is two things. */
const MAX_LINES = 250;

describe("src/", () => {
  const sources = readSources(SRC);

  test("imports only go down the layers of docs/ARCHITECTURE.md", () => {
    expect(sources.size).toBeGreaterThan(40);
    expect(checkLayers(sources)).toEqual([]);
  });

  test(`no file is longer than ${MAX_LINES} lines`, () => {
    const long = [...sources].filter(([path, text]) => text.split("\n").length - 1 > MAX_LINES).map(([path]) => path);
    expect(long).toEqual([]);
  });

  test("no comment points at a file outside the repo", () => {
    const outside = [...sources].filter(([, text]) => /\.\.\/shared\/|locust-protocol\.md|\/work\//.test(text)).map(([path]) => path);
    expect(outside).toEqual([]);
  });
});

describe("the layer checker", () => {
  const check = (files: Record<string, string>) => checkLayers(new Map(Object.entries(files)));

  test("reports stats/ importing the users engine", () => {
    const violations = check({ "stats/entry.ts": 'import { UserPool } from "../users/pool.ts";\n' });
    expect(violations).toEqual([{ file: "stats/entry.ts", imports: "../users/pool.ts", why: expect.stringContaining("stats may not import users") }]);
  });

  test("reports type-only imports and re-exports too: a layer below may not even name a shell's types", () => {
    const violations = check({
      "protocol/messages.ts": 'import type { Phase } from "../worker/state.ts";\n',
      "users/index.ts": 'export { startWorker } from "../worker/worker.ts";\n',
    });
    expect(violations.map((v) => v.why)).toEqual([expect.stringContaining("protocol may not import worker"), expect.stringContaining("users may not import worker")]);
  });

  test("reports a shell importing cli/, the standalone shell importing the worker shell, and a leaf importing a layer", () => {
    const violations = check({
      "worker/worker.ts": 'import { createLogger } from "../cli/logger.ts";\n',
      "standalone/run.ts": 'import { startWorker } from "../worker/worker.ts";\n',
      "clock.ts": 'import { sleep } from "./users/sleep.ts";\n',
    });
    expect(violations.map((v) => `${v.file} → ${v.imports}`)).toEqual(["worker/worker.ts → ../cli/logger.ts", "standalone/run.ts → ../worker/worker.ts", "clock.ts → ./users/sleep.ts"]);
  });

  test("allows imports down the layers, within a layer, and of the leaf modules", () => {
    expect(
      check({
        "cli/main.ts": 'import { startWorker } from "../worker/worker.ts";\nimport { systemClock } from "../clock.ts";\n',
        "worker/worker.ts": 'import { UserPool } from "../users/pool.ts";\nimport { encodeWorkerMessage } from "../protocol/index.ts";\nimport { dealerLink } from "./link.ts";\n',
        "http/client.ts": 'import { pythonRepr } from "../stats/errors.ts";\n',
        "index.ts": 'export { defineTask } from "./api/definitions.ts";\n',
      }),
    ).toEqual([]);
  });

  test("a new top-level folder must be given its rules", () => {
    expect(check({ "plugins/x.ts": "" })[0]?.why).toContain('"plugins" is not a known layer');
  });

  test("finds static, multi-line, type-only, side-effect and dynamic imports", () => {
    const source = 'import {\n  a,\n  b,\n} from "./a.ts";\nimport type { C } from "../c.ts";\nimport "./side.ts";\nconst m = await import("./lazy.ts");\nimport { x } from "citty";\n';
    expect(importsOf(source).sort()).toEqual(["../c.ts", "./a.ts", "./lazy.ts", "./side.ts"]);
    expect(layerOf("worker/machine.ts")).toBe("worker");
    expect(layerOf("clock.ts")).toBe("leaf");
  });
});
