// Tasks for the open-model tests: one GET per task run. In the closed model (-u/-r) a user runs
// 20 per second (constantThroughput); with --arrival-rate the schedule says when, and the wait
// time is not used.
import { constantThroughput, defineUser } from "../../../src/index.ts";

export const steady = defineUser({
  name: "Steady",
  waitTime: constantThroughput(20),
  tasks: [{ name: "tick", fn: ({ client }) => client.get("/tick") }],
});
