// examples/github-actions/loadtest.yml: the workflow parses, has the steps a runner needs, and its
// load-test command works here as written, in a fresh `loadworker init` project against the demo
// target (only the run time and the port are changed), failing the job on a breach.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startProc, tempDir } from "../support/procs.ts";
import { within } from "../support/wait.ts";
import { LOADWORKER_JS, type Target, demoTarget } from "../support/examples.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
const workflow = Bun.YAML.parse(readFileSync(join(ROOT, "examples/github-actions/loadtest.yml"), "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, { "runs-on": string; steps: Step[] }>;
};
const steps = workflow.jobs.loadtest?.steps ?? [];
const loadTest = steps.find((s) => s.run?.includes("loadworker run"));

let target: Target;
let project: string;
beforeAll(async () => {
  target = await demoTarget();
  project = tempDir("gha-project");
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "my-service", private: true, type: "module" }));
  const init = spawnSync("node", [LOADWORKER_JS, "init"], { cwd: project, encoding: "utf8" });
  if (init.status !== 0) throw new Error(`loadworker init failed:\n${init.stdout}${init.stderr}`);
});
afterAll(() => target.close());

/**
 * The step's command as a shell on this machine runs it: `npx loadworker` is this checkout's.
 * Asynchronous: the demo target answers from this process, so nothing here may block it.
 */
async function runStep(command: string): Promise<{ code: number; output: string }> {
  const local = command
    .replaceAll("npx loadworker", `node ${LOADWORKER_JS}`)
    .replace(/ -t 1m /, " -t 3s ")
    .replaceAll("http://127.0.0.1:8099", target.url);
  const shell = startProc("bash", ["-c", local], { cwd: project, env: { NO_COLOR: "1" } });
  const code = await within(shell.exited, 90_000, "the workflow's load-test command");
  return { code, output: shell.output() };
}

describe("examples/github-actions/loadtest.yml", () => {
  test("is a workflow on pull requests that checks out, installs with npm ci and keeps the reports", () => {
    expect(Object.keys(workflow.on)).toContain("pull_request");
    expect(workflow.jobs.loadtest?.["runs-on"]).toBe("ubuntu-latest");
    expect(steps.map((s) => s.uses ?? s.run?.split("\n")[0])).toEqual([
      "actions/checkout@v4",
      "actions/setup-node@v4",
      "npm ci",
      "npx loadworker demo-target --port 8099 &",
      expect.stringContaining("npx loadworker run --tasks loadtests"),
      "actions/upload-artifact@v4",
    ]);
    expect(loadTest?.run).toMatch(/--threshold 'p95<500' --threshold 'fail_ratio<0.01'/);
    expect(steps.at(-1)?.with?.path).toBe("loadtest-report/");
  });

  test("its load-test command passes here in a fresh init project and writes the reports it uploads", async () => {
    const done = await runStep(loadTest?.run as string);
    expect(done.code, done.output).toBe(0);
    expect(done.output).toMatch(/passed\s+p95<500/);
    expect(done.output).toMatch(/passed\s+fail_ratio<0.01/);
    for (const file of ["run.json", "run.html", "run_stats.csv"]) expect(existsSync(join(project, "loadtest-report", file))).toBe(true);
    const report = JSON.parse(readFileSync(join(project, "loadtest-report/run.json"), "utf8")) as { total: { num_requests: number } };
    expect(report.total.num_requests).toBeGreaterThan(0);
  }, 120_000);

  test("the same command with a threshold it cannot meet exits 99, which fails the job", async () => {
    const done = await runStep(`${loadTest?.run as string} --threshold 'p50<0'`);
    expect(done.code, done.output).toBe(99);
    expect(done.output).toMatch(/FAILED\s+p50<0\s+Aggregated: measured \d/); // measured, not "no data"
  }, 120_000);
});
