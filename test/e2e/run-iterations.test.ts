// `run --iterations N` (k6's shared-iterations, locust-plugins' -i) with the compiled binary
// against a counting server: the users make N task runs in all, then the run ends by itself,
// in one process or several; -t still caps it; bad values and the open model are usage errors.
import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { useE2e } from "../support/e2e.ts";
import { type CountingServer, countingServer, tempDir } from "../support/procs.ts";
import { run, summaryCounts } from "../support/run-cli.ts";

// Shopper's two tasks make one request each (/items, /cjk); its wait is 0.05 s.
const e2e = useE2e({ tasks: "test/e2e/run-tasks", server: false });

async function freshServer(): Promise<CountingServer> {
  const s = await countingServer();
  e2e.onStop(() => s.close());
  return s;
}
const BUSY_TASKS = `import { constant, defineUser } from "loadworker";
export const many = defineUser({ name: "Many", weight: 3, waitTime: constant(0), tasks: [{ name: "a", fn: ({ client }) => client.get("/items") }] });
export const few = defineUser({ name: "Few", weight: 1, waitTime: constant(0), tasks: [{ name: "b", fn: ({ client }) => client.get("/cjk") }] });
`;
const QUITTER_TASKS = `import { defineUser } from "loadworker";
export const quitter = defineUser({ name: "Quitter", tasks: [{ name: "once", fn: async ({ client, stopUser }) => { await client.get("/items"); stopUser(); } }] });
`;
const served = (s: CountingServer) => (s.counts.get("/items") ?? 0) + (s.counts.get("/cjk") ?? 0);

describe("run --iterations", () => {
  test.each([1, 2])(
    "with --processes %p, 3 users make exactly 25 task runs in all, then the run ends by itself",
    async (processes) => {
      const server = await freshServer();
      const json = join(tempDir("run-iterations"), "r.json");
      const args = [
        "Shopper",
        "-u",
        "3",
        "-r",
        "3",
        "--iterations",
        "25",
        "--processes",
        String(processes),
        "--host",
        server.url,
        "--json",
        json,
      ];
      const result = await run(e2e.binary, args);
      expect(result.code).toBe(0);
      expect(served(server)).toBe(25);
      expect(summaryCounts(result.stdout).get("Aggregated")).toBe(25);
      expect(result.stdout).toContain("every --iterations task run ended. Exit code 0.");
      const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
      expect(report.ended_by).toBe("iterations");
      expect(report.total.num_requests).toBe(25);
    },
    60_000,
  );

  test.each([1, 2])(
    "with --processes %p, the report's final ratio counts every user started, not only those still in a task at the end",
    async (processes) => {
      const server = await freshServer();
      const dir = tempDir("run-iterations");
      const json = join(dir, "r.json");
      // No wait time: a user asks for its next task run at once and so finds none left before the run ends.
      writeFileSync(join(dir, "busy.ts"), BUSY_TASKS);
      const args = [
        "--tasks",
        dir,
        "-u",
        "4",
        "-r",
        "4",
        "-i",
        "60",
        "--processes",
        String(processes),
        "--host",
        server.url,
        "--json",
        json,
      ];
      const result = await run(e2e.binary, args);
      expect(result.code).toBe(0);
      const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
      expect(report.ended_by).toBe("iterations");
      // The users by class as the ramp-up logged them (each process its own line).
      const started: Record<string, number> = {};
      for (const [, counts] of result.stderr.matchAll(/users started: (\{[^}]*\})/g)) {
        for (const [name, n] of Object.entries(JSON.parse(counts as string) as Record<string, number>))
          started[name] = (started[name] ?? 0) + n;
      }
      expect(Object.values(started).reduce((a, b) => a + b, 0)).toBe(4);
      const ratios = Object.fromEntries(Object.entries(report.task_ratio.per_class).map(([name, c]) => [name, c.ratio]));
      expect(ratios).toEqual(Object.fromEntries(Object.entries(started).map(([name, n]) => [name, n / 4])));
    },
    60_000,
  );

  test("says so when every user has stopped itself with task runs left, instead of waiting for them in silence", async () => {
    const server = await freshServer();
    const dir = tempDir("run-iterations");
    writeFileSync(join(dir, "quitter.ts"), QUITTER_TASKS);
    const result = await run(e2e.binary, ["--tasks", dir, "-u", "2", "-r", "2", "-i", "50", "-t", "4s", "--host", server.url]);
    expect(result.code).toBe(0);
    expect(served(server)).toBe(2);
    expect(result.stderr).toContain("every user has stopped itself (StopUser) with 48 --iterations task runs left");
  }, 30_000);

  test("-t still ends a run whose iterations are not done", async () => {
    const server = await freshServer();
    const result = await run(e2e.binary, ["Shopper", "-u", "2", "-t", "2s", "-i", "1000000", "--host", server.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the run time elapsed");
    expect(served(server)).toBeGreaterThan(0);
  }, 30_000);

  test.each([
    [["--iterations", "0"], /--iterations must be a whole number 1 or more, got "0"/],
    [["--iterations", "ten"], /--iterations must be a whole number 1 or more, got "ten"/],
    [["--iterations", "5", "--arrival-rate", "5"], /--iterations counts the closed model's task runs; the open model/],
  ])("%p is a usage error (exit 2) before any load", async (flags, message) => {
    const server = await freshServer();
    const result = await run(e2e.binary, ["Shopper", "-t", "5s", "--host", server.url, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(served(server)).toBe(0);
  });
});
