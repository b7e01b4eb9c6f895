// An open-model class for the master test: each user adds 10 task runs a second on a schedule;
// its onStart takes 300 ms, so the first iterations wait for their users and start late.
import { defineUser } from "../../../src/index.ts";

export const scheduled = defineUser({
  name: "Scheduled",
  arrivalRate: 10,
  onStart: () => new Promise((resolve) => setTimeout(resolve, 300)),
  tasks: [{ name: "tick", fn: ({ client }) => client.get("/tick") }],
});
