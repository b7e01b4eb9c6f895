// examples/grpc as its README runs it, against the grpcio server serving that folder's .proto files.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { ROOT } from "../support/procs.ts";
import { type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { run, summaryCounts } from "../support/run-cli.ts";

const EXAMPLE = join(ROOT, "examples/grpc");
let server: GrpcServer;
beforeAll(async () => {
  server = await startGrpcServer(EXAMPLE);
}, 120_000);
afterAll(() => server?.close());

test("examples/grpc: both tasks run without a failure, and the summary counts what the server served", async () => {
  const args = ["--tasks", EXAMPLE, "-u", "4", "-r", "4", "-t", "3s", "--host", `http://${server.target}`, "--exit-code-on-error", "1"];
  const result = await run({ kind: "source" }, args);
  expect(result.code).toBe(0);
  const summary = summaryCounts(result.stdout);
  const hello = summary.get("gRPC /helloworld.Greeter/SayHello") ?? 0;
  const features = summary.get("gRPC /routeguide.RouteGuide/ListFeatures") ?? 0;
  expect(hello).toBeGreaterThan(0);
  expect(features).toBeGreaterThan(0);
  // Users stop mid-call at the run's end: a call in flight then reached the server, unrecorded.
  const served = (method: string) => server.calls().get(method)?.get("OK")?.count ?? 0;
  expect(served("/helloworld.Greeter/SayHello") - hello).toBeWithin(0, 5);
  expect(served("/routeguide.RouteGuide/ListFeatures") - features).toBeWithin(0, 5);
}, 60_000);
