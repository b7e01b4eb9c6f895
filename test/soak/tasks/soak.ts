// The soak's user: a login cookie carried to later requests, successes, failures (500 and a
// rejected cart without the cookie), redirects and a task that throws after its request.
import { between, defineUser } from "../../../src/index.ts";

export const soakUser = defineUser({
  name: "SoakUser",
  waitTime: between(0.5, 1.5),
  onStart: async ({ client }) => {
    await client.post("/login");
  },
  tasks: [
    { name: "browse", weight: 4, fn: ({ client }) => client.get("/ok") },
    { name: "cart", weight: 2, fn: ({ client }) => client.get("/cart") },
    { name: "redirect", weight: 2, fn: ({ client }) => client.get("/redirect") },
    { name: "fail", weight: 1, fn: ({ client }) => client.get("/fail") },
    {
      name: "throw",
      weight: 1,
      fn: async ({ client }) => {
        await client.get("/before-throw");
        throw new Error("soak: a task that throws");
      },
    },
  ],
});
