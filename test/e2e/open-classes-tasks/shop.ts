// Tasks for open-classes-run.test.ts: two classes that share the arrival rate by weight (3:1),
// each task one GET to its own path so the server counts them apart, and an Admin with a
// fixedCount that runs its one user as under -u: 5 task runs a second.
import { constantThroughput, defineUser } from "../../../src/index.ts";

export const browse = defineUser({
  name: "Browse",
  weight: 3,
  tasks: [{ name: "browse", fn: ({ client }) => client.get("/browse") }],
});

export const buy = defineUser({
  name: "Buy",
  weight: 1,
  tasks: [{ name: "buy", fn: ({ client }) => client.get("/buy") }],
});

export const admin = defineUser({
  name: "Admin",
  fixedCount: 1,
  waitTime: constantThroughput(5),
  tasks: [{ name: "admin", fn: ({ client }) => client.get("/admin") }],
});
