// Locust's fixed_count and @tag in TypeScript. `Admin` has fixedCount 1: exactly one admin across
// all workers, whatever the user count, before the weights split the rest among `Shopper`s.
// Shopper's tasks are tagged: the master's `--tags` / `--exclude-tags` (or `run -T` / `-E`)
// choose which of them run.
import { constant, defineUser } from "loadworker";

export const admin = defineUser({
  name: "Admin",
  fixedCount: 1,
  waitTime: constant(0.5),
  // The demo target's /status/201 stands for "open the admin session": one request per Admin user.
  onStart: async ({ client }) => {
    await client.get("/status/201", { name: "admin session" });
  },
  tasks: [
    {
      name: "stock report",
      tags: ["admin"],
      fn: async ({ client }) => {
        await client.get("/get?report=stock", { name: "stock report" });
      },
    },
  ],
});

export const shopper = defineUser<{ token: string }>({
  name: "Shopper",
  waitTime: constant(0.2),
  state: () => ({ token: "" }),
  onStart: async ({ client, state, userId }) => {
    const res = await client.post("/login", { json: { username: `shopper-${userId}` } });
    if (res.ok) state.token = res.json<{ token: string }>().token;
  },
  tasks: [
    {
      name: "browse",
      tags: ["browse"],
      fn: async ({ client, state }) => {
        await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` } });
      },
    },
    {
      // /status/202 stands for a checkout; excluded with --exclude-tags checkout.
      name: "checkout",
      tags: ["checkout", "slow"],
      fn: async ({ client }) => {
        await client.get("/status/202", { name: "checkout" });
      },
    },
  ],
});
