// Custom messages, the classic use: the master hands each worker a pool of test accounts
// (tasks/master_extra.py, appended to master.py by `loadworker locustfile`), each user takes one
// for its whole life, and gives it back when it stops. Locust's "communicating across nodes".
import { between, defineUser, onMessage, sendMessage } from "loadworker";

interface Account {
  username: string;
  password: string;
}

// This worker's share of the accounts, filled by the master's "accounts" message at test start.
const free: Account[] = [];

export const accounts = onMessage<Account[]>("accounts", (list, { log }) => {
  free.splice(0, free.length, ...list);
  log.info(`the master handed this worker ${list.length} test accounts`);
});

export const accountUser = defineUser<{ account: Account | undefined; token: string }>({
  name: "AccountUser",
  waitTime: between(0.5, 2),
  state: () => ({ account: undefined, token: "" }),
  onStart: async (ctx) => {
    const account = free.shift();
    if (!account) {
      ctx.log.warn("no test account left for this user (did the master run tasks/master_extra.py?); stopping it");
      return ctx.stopUser();
    }
    ctx.state.account = account;
    const res = await ctx.client.post("/login", {
      json: { username: account.username, password: account.password },
      name: "/login (account)",
    });
    if (res.ok) ctx.state.token = res.json<{ token: string }>().token;
  },
  onStop: ({ state }) => {
    if (!state.account) return;
    free.push(state.account);
    sendMessage("account_released", { username: state.account.username });
  },
  tasks: [
    {
      name: "my items",
      fn: async ({ client, state }) => {
        await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` }, name: "/api/items (account)" });
      },
    },
  ],
});
