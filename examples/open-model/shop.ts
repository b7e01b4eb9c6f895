// The open model: task runs start on a schedule, whatever the responses do (docs/open-model.md).
// `Shop` sets its rate per user, so under a master (or with `run -u N`) N users make 5·N task runs
// a second; `run --arrival-rate R` sets one rate for the whole run instead. `Visitor` is the
// closed model with Locust's poisson wait time: 2 task runs a second per user on average.
import { defineUser, poisson } from "loadworker";

export const shop = defineUser({
  name: "Shop",
  arrivalRate: 5,
  tasks: [
    { name: "browse", weight: 3, fn: ({ client }) => client.get("/get", { name: "browse" }) },
    { name: "search", weight: 1, fn: ({ client }) => client.get("/delay/200", { name: "search" }) },
  ],
});

export const visitor = defineUser({
  name: "Visitor",
  waitTime: poisson(2),
  tasks: [{ name: "home", fn: ({ client }) => client.get("/get", { name: "home" }) }],
});
