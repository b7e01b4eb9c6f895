// ctx.grpc in `loadworker run` (no master) from the sources under Bun, and under Deno: the same
// exact counts as at a master; a .proto that does not parse stops the start with exit 2.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseStatsCsv } from "../support/master.ts";
import { ROOT, tempDir, workerBinary } from "../support/procs.ts";
import { GRPC_TASKS, type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { run, type Runner } from "../support/run-cli.ts";
import { ROUNDS } from "./tasks/grpc.ts";

const USERS = 3;
let server: GrpcServer;

beforeAll(async () => {
  server = await startGrpcServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function runGrpcTasks(runner: Runner) {
  const before = server.calls();
  const dir = tempDir("grpc-run");
  const args = ["-u", String(USERS), "-r", String(USERS), "-t", "6s", "--host", `http://${server.target}`, "--csv", join(dir, "run")];
  // The binary has the tasks compiled in; the sources load them from the folder.
  const result = await run(runner, args, runner.kind === "binary" ? {} : { LOADWORKER_TASKS_DIR: GRPC_TASKS });
  // Printed when something below fails, to tell a slow machine from a wrong count.
  if (result.code !== 0 || result.stderr.includes("Error")) console.error(result.stderr);
  expect(result.stderr).not.toContain("Error");
  expect(result.code).toBe(0);
  const rows = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"));
  const servedSince = (method: string, code: string) =>
    (server.calls().get(method)?.get(code)?.count ?? 0) - (before.get(method)?.get(code)?.count ?? 0);
  return { rows, servedSince, summary: result.stdout };
}

const binary = (): Promise<Runner> => workerBinary("test/grpc/tasks").then((path) => ({ kind: "binary", path }));

for (const kind of ["source", "deno", "binary"] as const) {
  describe(`loadworker run (${kind})`, () => {
    test("records unary, error, deadline and server-stream calls exactly as the server saw them", async () => {
      const { rows, servedSince, summary } = await runGrpcTasks(kind === "binary" ? await binary() : { kind });
      const calls = USERS * ROUNDS;
      if (rows.find((r) => r.name === "/routeguide.RouteGuide/ListFeatures")?.requests !== calls) console.error(summary);
      expect(rows.find((r) => r.name === "/helloworld.Greeter/SayHello")).toMatchObject({
        type: "gRPC",
        requests: 3 * calls,
        failures: 2 * calls,
      });
      expect(servedSince("/helloworld.Greeter/SayHello", "OK")).toBe(2 * calls);
      expect(servedSince("/helloworld.Greeter/SayHello", "INVALID_ARGUMENT")).toBe(calls);
      expect(rows.find((r) => r.name === "/routeguide.RouteGuide/ListFeatures")).toMatchObject({
        type: "gRPC",
        requests: calls,
        failures: 0,
      });
      expect(servedSince("/routeguide.RouteGuide/ListFeatures", "OK")).toBe(calls);
    }, 60_000);
  });
}

test("a .proto beside the tasks that does not parse stops the start with exit 2, naming the file and line", async () => {
  const result = await run({ kind: "source" }, ["-t", "1s"], { LOADWORKER_TASKS_DIR: join(ROOT, "test/grpc/bad-proto") });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    "broken.proto does not parse: illegal token '}', ';' expected (line 4); fix the .proto in the task folder",
  );
}, 30_000);

test("gRPC rows meet thresholds like HTTP's: a fail ratio over the limit is a breach (exit 99)", async () => {
  const args = ["-u", "1", "-r", "1", "-t", "4s", "--host", `http://${server.target}`];
  args.push(
    "--threshold",
    "gRPC /helloworld.Greeter/SayHello:fail_ratio<0.5",
    "--threshold",
    "gRPC /routeguide.RouteGuide/ListFeatures:fail_ratio<0.5",
  );
  const result = await run(await binary(), args);
  expect(result.code).toBe(99);
  expect(result.stdout).toMatch(/FAILED.*gRPC \/helloworld\.Greeter\/SayHello:fail_ratio<0\.5/);
  expect(result.stdout).toMatch(/passed.*gRPC \/routeguide\.RouteGuide\/ListFeatures:fail_ratio<0\.5/);
}, 60_000);
