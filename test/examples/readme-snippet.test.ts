// The task file in README.md's quick start runs as shown: written to a file of its own and run
// with `npx loadworker run --tasks FILE` against the demo target, it logs in and lists items with
// its token, with no failure.
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
