// A gRPC user: grpc's helloworld Greeter (unary) and route_guide's ListFeatures (server
// streaming), from the .proto files beside this file (the build carries them into the binary).
// Each call is a row in the stats: type gRPC, name /package.Service/Method.
import { between, defineUser, type GrpcServerStream, type GrpcUnary } from "loadworker";

// The services' types, written from the .proto (ctx.grpc reads the .proto at run time).
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

export const grpcUser = defineUser({
  name: "GrpcUser",
  waitTime: between(0.1, 0.5),
  tasks: [
    {
      name: "say_hello",
      weight: 3,
      fn: async (ctx) => {
        // No target: the host (--host / the master's), e.g. http://127.0.0.1:50051 (https:// for TLS).
        const greeter = ctx.grpc<Greeter>("helloworld.Greeter", { proto: "helloworld.proto", deadlineMs: 1_000 });
        const reply = await greeter.SayHello({ name: `user ${ctx.userId}` }, { metadata: { "x-user": String(ctx.userId) } });
        // A non-OK status is already recorded as a failure ("DEADLINE_EXCEEDED: …"); nothing is thrown.
        if (reply.ok) ctx.log.debug(reply.message?.message ?? "");
      },
    },
    {
      name: "list_features",
      fn: async (ctx) => {
        const guide = ctx.grpc<RouteGuide>("routeguide.RouteGuide", { proto: "route_guide.proto" });
        // The whole stream is one request: its time to the status, its bytes summed.
        const features = await guide.ListFeatures({ lo: { latitude: 0, longitude: 0 }, hi: { latitude: 2, longitude: 2 } });
        ctx.log.debug(`${features.count} features, the first after ${features.firstMessageMs?.toFixed(1)} ms`);
      },
    },
  ],
});
