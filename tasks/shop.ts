// A richer example to copy: a user class with its own state, a login in onStart, a wait time,
// weighted tasks and checked responses. It loads the demo target's API
// (`./loadworker demo-target`), which scripts/up.sh starts as the default host.
import { between, defineUser } from "loadworker";

interface ShopState {
  token: string;
  seen: number[];
}

export const shopUser = defineUser<ShopState>({
  name: "ShopUser",
  weight: 1,
  waitTime: between(0.5, 2),
  state: () => ({ token: "", seen: [] }),
  onStart: async ({ client, state, userId }) => {
    const res = await client.post("/login", { json: { user: `user-${userId}`, password: "demo" }, name: "/login" });
    if (res.ok) state.token = res.json<{ token: string }>().token;
  },
  tasks: [
    {
      name: "browse items",
      weight: 3,
      fn: async ({ client, state }) => {
        const res = await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` }, catchResponse: true });
        const items = res.status === 200 ? res.json<{ items?: { id: number }[] }>().items : undefined;
        if (!Array.isArray(items)) return res.failure(`expected a list of items, got status ${res.status}`);
        res.success();
        state.seen = items.slice(0, 5).map((i) => i.id);
      },
    },
    {
      name: "view item",
      weight: 1,
      fn: async ({ client, state }) => {
        const id = state.seen[Math.floor(Math.random() * state.seen.length)] ?? 1;
        // One stats row for every item, not one per id.
        await client.get(`/api/items/${id}`, { headers: { authorization: `Bearer ${state.token}` }, name: "/api/items/[id]" });
      },
    },
  ],
});
