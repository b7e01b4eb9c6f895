// idle: a user that makes one request (so it holds one open keep-alive socket) and then waits an
// hour: the memory each idle user costs. Spawned when the master names IdleUser.
import { constant, defineUser } from "../../../src/index.ts";

export const idleUser = defineUser({
  name: "IdleUser",
  waitTime: constant(3600),
  tasks: [{ name: "get", fn: async ({ client }) => void (await client.get("/")) }],
});
