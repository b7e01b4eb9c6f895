// A worker's users each hold their own gRPC connection, and none outlives its user: stopped,
// killed mid-call, or ended by ctx.stopUser.
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { protoFile } from "../../src/api/definitions.ts";
import { defineUser, type GrpcUnary } from "../../src/index.ts";
import { GRPC_TASKS, type GrpcServer, startGrpcServer } from "../support/grpc-server.ts";
import { ownConnectionsTo } from "../support/listeners.ts";
import { waitFor } from "../support/wait.ts";
import { harness, stopPools } from "../users/pool-harness.ts";

type Greeter = { SayHello: GrpcUnary<{ name: string }, { message: string }> };
const proto = protoFile("helloworld.proto", readFileSync(join(GRPC_TASKS, "helloworld.proto"), "utf8"));
let server: GrpcServer;

beforeAll(async () => {
  server = await startGrpcServer();
}, 120_000);
afterEach(stopPools);
afterAll(() => server?.close());

/** This process's sockets connected to the server (test/support/listeners.ts). */
function connections(): number {
  return ownConnectionsTo(Number(server.target.split(":")[1]));
}

const greeterUser = (name: string, request: string, rounds = Number.POSITIVE_INFINITY) =>
  defineUser<{ n: number }>({
    name,
    state: () => ({ n: 0 }),
    tasks: [
      {
        name: `${name}.hello`,
        fn: async (ctx) => {
          await ctx.grpc<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", target: server.target }).SayHello({ name: request });
          if (++ctx.state.n >= rounds) ctx.stopUser();
        },
      },
    ],
  });

test("one connection per user; a stop, and a kill during a call, close them all", async () => {
  for (const [request, stopTimeout] of [
    ["busy", 1],
    ["sleep:3000", 0], // killed mid-call: the call is cancelled, not recorded
  ] as const) {
    const { pool, recorder } = harness(greeterUser("GrpcUser", request), proto);
    await pool.setTargets({ GrpcUser: 5 }, 0);
    await waitFor(() => connections() === 5, 5_000, "five users' connections");
    await pool.stopAll(stopTimeout);
    await waitFor(() => connections() === 0, 5_000, "the connections to close");
    if (stopTimeout === 0) expect(recorder.records).toEqual([]);
    else expect(recorder.records.every((r) => r.ok && r.method === "gRPC")).toBe(true);
  }
}, 30_000);

test("a user that ends itself (ctx.stopUser) closes its connection while the others go on", async () => {
  const { pool, recorder } = harness(greeterUser("Brief", "brief", 3), greeterUser("Steady", "steady"), proto);
  await pool.setTargets({ Brief: 2, Steady: 1 }, 0);
  await waitFor(() => recorder.records.filter((r) => r.ok).length >= 6 && pool.userCount === 1, 5_000, "the brief users to end");
  await waitFor(() => connections() === 1, 5_000, "only the steady user's connection");
  await pool.stopAll(0);
}, 30_000);
