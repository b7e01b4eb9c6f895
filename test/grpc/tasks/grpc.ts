// Tasks for the gRPC end-to-end tests (test/peers/grpc_server.py serves both .proto files here):
// each GrpcUser runs ROUNDS rounds of four calls, then ends itself, so every count is exact.
// Relative, not "loadworker": under Deno that resolves to the packed dist/, which a checkout lacks.
import { defineUser, type GrpcServerStream, type GrpcUnary } from "../../../src/index.ts";

export const ROUNDS = 5;

interface Point {
  latitude: number;
  longitude: number;
}
interface Greeter {
  SayHello: GrpcUnary<{ name: string }, { message: string }>;
}
interface RouteGuide {
  ListFeatures: GrpcServerStream<{ lo: Point; hi: Point }, { name: string; location: Point }>;
}

export const grpcUser = defineUser<{ round: number }>({
  name: "GrpcUser",
  state: () => ({ round: 0 }),
  tasks: [
    {
      name: "grpc_round",
      fn: async (ctx) => {
        // No target: the user's host (the master's --host), e.g. http://127.0.0.1:PORT.
        const greeter = ctx.grpc<Greeter>("helloworld.Greeter", { proto: "helloworld.proto" });
        const guide = ctx.grpc<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
        const hello = await greeter.SayHello({ name: "e2e" });
        if (hello.message?.message !== "Hello, e2e") throw new Error(`unexpected reply ${JSON.stringify(hello.message)}`);
        await greeter.SayHello({ name: "fail:INVALID_ARGUMENT:bad name" });
        await greeter.SayHello({ name: "sleep:300" }, { deadlineMs: 100 });
        const features = await guide.ListFeatures({ lo: { latitude: 1, longitude: 1 }, hi: { latitude: 2, longitude: 3 } });
        if (features.count !== 6) throw new Error(`expected 6 features, got ${features.count}`);
        if (++ctx.state.round >= ROUNDS) ctx.stopUser();
      },
    },
  ],
});
