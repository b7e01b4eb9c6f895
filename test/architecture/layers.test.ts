// The layer rules hold for src/ and no file of it imports itself in a cycle, and the checkers
// catch what breaks them.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";
import { graphSummary } from "./graph.ts";
import { checkLayers, findCycles, importsOf, layerOf, readSources } from "./layers.ts";

const SRC = join(ROOT, "src");
/** About 200 lines per file (STYLE.md); a file past this is two things. */
const MAX_LINES = 250;

describe("src/", () => {
  const sources = readSources(SRC);

  test("imports only go down the layers of docs/ARCHITECTURE.md", () => {
    expect(sources.size).toBeGreaterThan(40);
    expect(checkLayers(sources)).toEqual([]);
  });

  test("has no import cycle, type-only imports included", () => {
    expect(findCycles(sources)).toEqual([]);
  });

  test(`no file is longer than ${MAX_LINES} lines`, () => {
    const long = [...sources].filter(([, text]) => text.split("\n").length - 1 > MAX_LINES).map(([path]) => path);
    expect(long).toEqual([]);
  });

  test("only platform/bun.ts asks which runtime runs (docs/ARCHITECTURE.md, Shared leaf modules)", () => {
    const asks = /["']Deno["']\s+in\s+globalThis|typeof\s+(Deno|Bun)\s*[!=]==|globalThis\.(Bun|Deno)\b|process\.versions\.(bun|deno)\b/;
    const asking = [...sources].filter(([path, text]) => path !== "platform/bun.ts" && asks.test(text)).map(([path]) => path);
    expect(asking).toEqual([]);
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
    expect(violations).toEqual([
      { file: "stats/entry.ts", imports: "../users/pool.ts", why: expect.stringContaining("stats may not import users") },
    ]);
  });

  test("reports type-only imports and re-exports too: a layer below may not even name a shell's types", () => {
    const violations = check({
      "protocol/messages.ts": 'import type { Phase } from "../worker/state.ts";\n',
      "users/index.ts": 'export { startWorker } from "../worker/worker.ts";\n',
    });
    expect(violations.map((v) => v.why)).toEqual([
      expect.stringContaining("protocol may not import worker"),
      expect.stringContaining("users may not import worker"),
    ]);
  });

  test("reports a shell importing cli/, the standalone shell importing the worker shell, and a leaf importing a layer", () => {
    const violations = check({
      "worker/worker.ts": 'import { createLogger } from "../cli/logger.ts";\n',
      "standalone/run.ts": 'import { startWorker } from "../worker/worker.ts";\n',
      "clock.ts": 'import { sleep } from "./users/sleep.ts";\n',
    });
    expect(violations.map((v) => `${v.file} → ${v.imports}`)).toEqual([
      "worker/worker.ts → ../cli/logger.ts",
      "standalone/run.ts → ../worker/worker.ts",
      "clock.ts → ./users/sleep.ts",
    ]);
  });

  test("allows imports down the layers, within a layer, and of the leaf modules", () => {
    expect(
      check({
        "cli/main.ts": 'import { startWorker } from "../worker/worker.ts";\nimport { systemClock } from "../clock.ts";\n',
        "worker/worker.ts":
          'import { UserPool } from "../users/pool.ts";\nimport { encodeWorkerMessage } from "../protocol/index.ts";\nimport { dealerLink } from "./link.ts";\n',
        "http/client.ts": 'import { pythonRepr } from "../stats/errors.ts";\n',
        "index.ts": 'export { defineTask } from "./api/definitions.ts";\n',
      }),
    ).toEqual([]);
  });

  test("a new top-level folder must be given its rules", () => {
    expect(check({ "plugins/x.ts": "" })[0]?.why).toContain('"plugins" is not a known layer');
  });

  test("finds static, multi-line, type-only, side-effect and dynamic imports", () => {
    const source =
      'import {\n  a,\n  b,\n} from "./a.ts";\nimport type { C } from "../c.ts";\nimport "./side.ts";\nconst m = await import("./lazy.ts");\nimport { x } from "citty";\n';
    expect(importsOf(source).sort()).toEqual(["../c.ts", "./a.ts", "./lazy.ts", "./side.ts"]);
    expect(layerOf("worker/machine.ts")).toBe("worker");
    expect(layerOf("clock.ts")).toBe("leaf");
  });
});

describe("the cycle checker", () => {
  const cycles = (files: Record<string, string>) => findCycles(new Map(Object.entries(files)));

  test("reports two files of one layer that import each other, a type-only import included", () => {
    expect(
      cycles({
        "standalone/run.ts": 'import { finishRun } from "./finish.ts";\n',
        "standalone/finish.ts": 'import type { StandaloneIo } from "./run.ts";\n',
      }),
    ).toEqual([["standalone/finish.ts", "standalone/run.ts", "standalone/finish.ts"]]);
  });

  test("reports a longer cycle across folders once, as the shortest path that closes it", () => {
    expect(
      cycles({
        "a/one.ts": 'import { two } from "../b/two.ts";\n',
        "b/two.ts": 'export { three } from "./three.ts";\n',
        "b/three.ts": 'import { one } from "../a/one.ts";\nimport { two } from "./two.ts";\n',
      }),
    ).toEqual([["a/one.ts", "b/two.ts", "b/three.ts", "a/one.ts"]]);
  });

  test("reports each separate tangle, and a file that imports itself", () => {
    expect(
      cycles({
        "x.ts": 'import { y } from "./y.ts";\n',
        "y.ts": 'const x = await import("./x.ts");\n',
        "z.ts": 'import { z } from "./z.ts";\n',
      }),
    ).toEqual([
      ["x.ts", "y.ts", "x.ts"],
      ["z.ts", "z.ts"],
    ]);
  });

  test("allows a diamond and imports of files outside the set", () => {
    expect(
      cycles({
        "top.ts": 'import { l } from "./left.ts";\nimport { r } from "./right.ts";\nimport pkg from "../package.json";\n',
        "left.ts": 'import { b } from "./bottom.ts";\n',
        "right.ts": 'import { b } from "./bottom.ts";\n',
        "bottom.ts": 'import { x } from "citty";\n',
      }),
    ).toEqual([]);
  });
});

describe("the graph summary (bun test/architecture/graph.ts)", () => {
  test("counts files, lines and imports across folders, and names what goes up a layer and what closes a cycle", () => {
    const text = graphSummary(
      new Map(
        Object.entries({
          "stats/a.ts": 'import { b } from "./b.ts";\n',
          "stats/b.ts": 'import { a } from "./a.ts";\n',
          "http/c.ts": 'import { a } from "../stats/a.ts";\nimport { c } from "../cli/x.ts";\n',
        }),
      ),
    );
    expect(text).toContain("folders 2, files 3, imports between files 3");
    expect(text).toContain("imports up a layer 1, cycles 1");
    expect(text).toMatch(/src\/http\/ +1 +2 +1 +0\n/);
    expect(text).toContain("cycle: stats/a.ts → stats/b.ts → stats/a.ts");
  });
});
