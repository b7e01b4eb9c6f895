// A shopper with OpenTelemetry on (docs/telemetry.md): nothing in the task file changes. With
// --otel (or a master started with --otel) each request below is a point of the
// locust.client.duration histogram under its name, and a CLIENT span whose traceparent goes to the
// target with the request, so the target's own traces hang under it. The /status/503 call fails
// on purpose: its points carry error.type "HTTPError", as a Python worker's do.
import { constant, defineUser } from "loadworker";

export const shopper = defineUser<{ auth: Record<string, string> }>({
  name: "Shopper",
  waitTime: constant(0.1),
  state: () => ({ auth: {} }),
  onStart: async ({ client, state, userId }) => {
    const res = await client.post("/login", { json: { username: `shopper-${userId}`, password: "demo" } });
    if (res.ok) state.auth = { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  },
  tasks: [
    {
      name: "browse",
      weight: 3,
      fn: async ({ client, state }) => {
        await client.get("/api/items", { headers: state.auth });
        const id = 1 + Math.floor(Math.random() * 5);
        await client.get(`/api/items/${id}`, { headers: state.auth, name: "/api/items/[id]" });
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
