// Tasks for the `loadworker run` end-to-end tests, against test/support's counting server:
// successes under a plain and a CJK name, a failing request (500) and a task that throws.
import { constant, defineUser } from "../../../src/index.ts";

export const shopper = defineUser({
  name: "Shopper",
  weight: 3,
  waitTime: constant(0.05),
  tasks: [
    { name: "list items", weight: 3, fn: ({ client }) => client.get("/items") },
    { name: "cjk", weight: 1, fn: ({ client }) => client.get("/cjk", { name: "压测Items" }) },
  ],
});

export const breaker = defineUser({
  name: "Breaker",
  weight: 1,
  waitTime: constant(0.1),
  tasks: [
    { name: "fail", weight: 2, fn: ({ client }) => client.get("/fail/x", { name: "/fail" }) },
    {
      name: "explode",
      weight: 1,
      fn: async ({ client }) => {
        await client.get("/boom");
        throw new Error("boom in a run");
      },
    },
  ],
});
