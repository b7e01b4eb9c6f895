// For test/e2e/plugins-iterations.full.test.ts: the TypeScript side of the master's Counter class,
// one request per task run, so the target's count is the number of task runs.
import { constant, defineUser } from "../../../src/index.ts";

export const counter = defineUser({
  name: "Counter",
  waitTime: constant(0.05),
  tasks: [{ name: "count", fn: ({ client }) => client.get("/lw/count") }],
});
