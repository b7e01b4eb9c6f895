// An HTTP user class that logs in once in onStart and sends its token with every task, as a
// Locust HttpUser with on_start would. The demo target (`loadworker demo-target`) answers 401 to
// /api/items without a valid token, so a failed login shows up as failures.
import { between, defineUser } from "loadworker";

interface Item {
  id: number;
  name: string;
}

export const shopper = defineUser<{ token: string; seen: number[] }>({
  name: "Shopper",
  waitTime: between(0.1, 0.3),
  state: () => ({ token: "", seen: [] }),
  onStart: async ({ client, state, userId }) => {
    const res = await client.post("/login", { json: { username: `shopper-${userId}`, password: "demo" } });
    if (res.ok) state.token = res.json<{ token: string }>().token;
  },
  tasks: [
    {
      name: "list items",
      weight: 3,
      fn: async ({ client, state }) => {
        const res = await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` } });
        if (res.ok) state.seen = res.json<{ items: Item[] }>().items.map((item) => item.id);
      },
    },
    {
      name: "view item",
      fn: async ({ client, state }) => {
        const id = state.seen[Math.floor(Math.random() * state.seen.length)] ?? 1;
        // One stats row for every id, as Locust's name= groups them.
        await client.get(`/api/items/${id}`, { headers: { authorization: `Bearer ${state.token}` }, name: "/api/items/[id]" });
      },
    },
  ],
});
