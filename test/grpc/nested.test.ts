// .proto files in subfolders of the task folder: found by their path from it, their imports read
// from it as protoc -I reads them, in `loadworker run` from the sources and in the compiled binary,
// against grpcio (its helloworld.Greeter speaks the same wire as the split tree here).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseStatsCsv } from "../support/master.ts";
import { ROOT, tempDir, workerBinary } from "../support/procs.ts";
import { type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { run, type Runner } from "../support/run-cli.ts";
import { ROUNDS } from "./nested-tasks/nested.ts";

const TASKS = "test/grpc/nested-tasks";
const USERS = 2;
let server: GrpcServer;

beforeAll(async () => {
  server = await startGrpcServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
});

for (const kind of ["source", "binary"] as const) {
  describe(`loadworker run (${kind})`, () => {
    test("calls a service whose .proto sits in protos/ and imports protos/messages/hello.proto", async () => {
      const runner: Runner = kind === "binary" ? { kind, path: await workerBinary(TASKS) } : { kind };
      const before = server.calls().get("/helloworld.Greeter/SayHello")?.get("OK")?.count ?? 0;
      const dir = tempDir("grpc-nested");
      const args = ["-u", String(USERS), "-r", String(USERS), "-t", "5s", "--host", `http://${server.target}`, "--csv", join(dir, "run")];
      // The sources run from the repository's root, so "protos/greeter.proto" is not beside the current directory.
      const result = await run(runner, args, kind === "binary" ? {} : { LOADWORKER_TASKS_DIR: join(ROOT, TASKS) });
      if (result.code !== 0) console.error(result.stderr);
      expect(result.stderr).not.toContain("Error");
      expect(result.code).toBe(0);
      const rows = parseStatsCsv(readFileSync(join(dir, "run_stats.csv"), "utf8"));
      expect(rows.find((r) => r.name === "/helloworld.Greeter/SayHello")).toMatchObject({
        type: "gRPC",
        requests: USERS * ROUNDS,
        failures: 0,
      });
      expect((server.calls().get("/helloworld.Greeter/SayHello")?.get("OK")?.count ?? 0) - before).toBe(USERS * ROUNDS);
    }, 120_000);
  });
}
