// examples/thresholds-ci: the README's two commands, one that passes (exit 0) and one that
// breaches a threshold on the slow report alone (exit 99), with the JSON report saying which.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../support/procs.ts";
import { type Target, demoTarget, example, loadworkerRun } from "../support/examples.ts";

let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

const run = (thresholds: string[], extra: string[] = []) =>
  loadworkerRun([
    "run",
    "--tasks",
    example("thresholds-ci"),
    ...["-u", "5", "-r", "5", "-t", "3s", "--host", target.url],
    ...thresholds.flatMap((t) => ["--threshold", t]),
    ...extra,
  ]);

describe("examples/thresholds-ci", () => {
  test("passing thresholds exit 0 and the JSON report lists each as passed", async () => {
    const out = tempDir("thresholds-ci");
    const json = join(out, "run.json");
    const { code, output } = await run(["p95<1000", "fail_ratio<0.01", "slow report:p95<2000"], ["--json", json]);
    expect(code).toBe(0);
    expect(output).not.toContain("FAILED");
    const report = JSON.parse(readFileSync(json, "utf8")) as { thresholds: { expression: string; status: string }[] };
    expect(report.thresholds.map((t) => [t.expression, t.status])).toEqual([
      ["p95<1000", "passed"],
      ["fail_ratio<0.01", "passed"],
      ["slow report:p95<2000", "passed"],
    ]);
  }, 120_000);

  test("the slow report over 100 ms exits 99 and is named FAILED in the summary", async () => {
    const { code, output } = await run(["slow report:p95<100"]);
    expect(code).toBe(99);
    expect(output).toMatch(/slow report:p95<100.*FAILED|FAILED.*slow report:p95<100/);
    const served = await target.served();
    expect(served["/delay/300"]).toBeGreaterThan(0);
  }, 120_000);
});
