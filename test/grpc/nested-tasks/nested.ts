// Tasks for test/grpc/nested.test.ts: the Greeter from a .proto in a subfolder, named by its path
// from the task folder, whose messages come from a deeper one. Each user calls ROUNDS times, then ends.
// Relative, not "loadworker": under Deno that resolves to the packed dist/, which a checkout lacks.
import { defineUser, type GrpcUnary } from "../../../src/index.ts";

export const ROUNDS = 4;

interface Greeter {
  SayHello: GrpcUnary<{ name: string }, { message: string }>;
}

export const nestedUser = defineUser<{ round: number }>({
  name: "NestedProtoUser",
  state: () => ({ round: 0 }),
  tasks: [
    {
      name: "hello",
      fn: async (ctx) => {
        const greeter = ctx.grpc<Greeter>("helloworld.Greeter", { proto: "protos/greeter.proto" });
        const hello = await greeter.SayHello({ name: "nested" });
        if (hello.message?.message !== "Hello, nested") throw new Error(`unexpected reply ${JSON.stringify(hello)}`);
        if (++ctx.state.round >= ROUNDS) ctx.stopUser();
      },
    },
  ],
});
