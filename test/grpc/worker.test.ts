// ctx.grpc in the compiled binary against a real Locust master and grpcio: the master's stats are
// exactly what the task did and what the server logged, errors by code and message.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { masterComplaints, startHeadlessMaster } from "../support/master.ts";
import { startProc, workerBinary } from "../support/procs.ts";
import { type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { within } from "../support/wait.ts";
import { ROUNDS } from "./tasks/grpc.ts";

const USERS = 4;
let server: GrpcServer;
let bin: string;

beforeAll(async () => {
  [server, bin] = await Promise.all([startGrpcServer(), workerBinary("test/grpc/tasks")]);
}, 180_000);
afterAll(async () => {
  await server?.close();
});

test("the compiled worker's gRPC calls reach a real master counted exactly: unary, error status, deadline, server stream", async () => {
  const run = await startHeadlessMaster({
    locustfile: "from locust import User, task\n\nclass GrpcUser(User):\n    @task\n    def t(self):\n        pass\n",
    users: USERS,
    spawnRate: USERS,
    runTime: "8s",
    host: `http://${server.target}`,
    extra: ["--exit-code-on-error", "0"],
  });
  const worker = startProc(bin, ["--master-port", String(run.port)]);
  const result = await run.result();
  expect(await within(worker.exited, 10_000, "the worker to exit")).toBe(0);
  expect(masterComplaints(result.log)).toEqual([]);
  expect(result.exceptionsCsv.trim().split("\n")).toHaveLength(1); // the header only: no task threw

  const calls = USERS * ROUNDS;
  const served = server.calls();
  const hello = result.rows.find((r) => r.name === "/helloworld.Greeter/SayHello");
  expect(hello).toMatchObject({ type: "gRPC", requests: 3 * calls, failures: 2 * calls });
  const helloServed = served.get("/helloworld.Greeter/SayHello");
  // The deadline's call still reaches the server, which answers it late: OK there, a failure here.
  expect(helloServed?.get("OK")?.count).toBe(2 * calls);
  expect(helloServed?.get("INVALID_ARGUMENT")?.count).toBe(calls);

  const stream = result.rows.find((r) => r.name === "/routeguide.RouteGuide/ListFeatures");
  const streamServed = served.get("/routeguide.RouteGuide/ListFeatures")?.get("OK");
  expect(stream).toMatchObject({ type: "gRPC", requests: calls, failures: 0 });
  expect(streamServed?.count).toBe(calls);
  expect(stream?.avgContentSize).toBe((streamServed?.bytes ?? 0) / calls);

  // One row per error text: a deadline reads as the deadline that was set, not as a measured time.
  const failures = result.failuresCsv
    .trim()
    .split("\r\n")
    .slice(1)
    .map((line) => line.split(",").slice(0, 4).join(","))
    .sort();
  expect(failures).toEqual([
    `gRPC,/helloworld.Greeter/SayHello,DEADLINE_EXCEEDED: deadline of 100 ms exceeded,${calls}`,
    `gRPC,/helloworld.Greeter/SayHello,INVALID_ARGUMENT: bad name,${calls}`,
  ]);
}, 120_000);
