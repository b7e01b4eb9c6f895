// The task file in README.md's quick start runs as shown: written to a file of its own and run
// with `npx loadworker run --tasks FILE` against the demo target, it logs in and lists items with
// its token, with no failure. docs/tasks.md's task files import only from "loadworker" and load as written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";
import { summaryCounts } from "../support/run-cli.ts";
import { type Target, aggregated, demoTarget, loadworkerRun } from "../support/examples.ts";

let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

describe("README.md's task file", () => {
  test("runs with run --tasks: one login per user, items with the token, no failure", async () => {
    const blocks = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('from "loadworker"');
    const dir = join(ROOT, ".build/readme-snippet");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "shopper.ts");
    writeFileSync(file, blocks[0] as string);

    const { code, output } = await loadworkerRun(["run", "--tasks", file, "-u", "2", "-r", "2", "-t", "3s", "--host", target.url]);
    expect(code).toBe(0);
    expect((await target.served())["/login"]).toBe(2);
    expect(summaryCounts(output).get("GET /api/items")).toBeGreaterThan(0);
    expect(aggregated(output).failures).toBe(0);
  }, 120_000);
});

describe("docs/tasks.md's task files", () => {
  test('each imports only from "loadworker" and loads as it is written (locustfile --tasks FILE)', async () => {
    const blocks = [...readFileSync(join(ROOT, "docs/tasks.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const dir = join(ROOT, ".build/tasks-md-snippets");
    mkdirSync(dir, { recursive: true });
    for (const [i, block] of blocks.entries()) {
      expect([...block.matchAll(/from "([^"]+)"/g)].map((m) => m[1])).toEqual(["loadworker"]);
      const file = join(dir, `block${i}.ts`);
      writeFileSync(file, block);
      const { code, output } = await loadworkerRun(["locustfile", "--tasks", file]);
      expect({ block: i, code, output: code === 0 ? "" : output }).toEqual({ block: i, code: 0, output: "" });
    }
  }, 120_000);
});
