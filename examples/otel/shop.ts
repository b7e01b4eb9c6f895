// A shopper with OpenTelemetry on (docs/telemetry.md): nothing in the task file changes. With
// --otel (or a master started with --otel) each request below is a point of the
// locust.client.duration histogram under its name, and a CLIENT span whose traceparent goes to the
// target with the request, so the target's own traces hang under it. The /status/503 call fails
// on purpose: its points carry error.type "HTTPError", as a Python worker's do.
import { constant, defineUser } from "loadworker";

export const shopper = defineUser({
  name: "Shopper",
  waitTime: constant(0.1),
  tasks: [
    {
      name: "browse",
      weight: 3,
      fn: async ({ client }) => {
        await client.get("/api/items");
        await client.get(`/api/items/${1 + Math.floor(Math.random() * 5)}`, { name: "/api/items/[id]" });
      },
    },
    {
      name: "checkout",
      fn: async ({ client }) => {
        await client.get("/status/503", { name: "checkout" });
      },
    },
  ],
});
