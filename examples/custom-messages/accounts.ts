// Custom messages both ways: the master hands each worker its own slice of test accounts
// (master_extra.py, appended to master.py by `loadworker locustfile`), each user logs in with one
// for its whole life, telling the master when it takes one and when it gives it back. Locust's "communicating across
// nodes", with the worker in TypeScript.
import { between, defineUser, onMessage, sendMessage } from "loadworker";

interface Account {
  username: string;
  password: string;
}

// This worker's accounts, filled by the master's "accounts" message before its first user starts.
const free: Account[] = [];

export const accounts = onMessage<Account[]>("accounts", (list, { log }) => {
  free.splice(0, free.length, ...list);
  log.info(`the master handed this worker ${list.length} test accounts`);
});

export const accountUser = defineUser<{ account: Account | undefined; token: string }>({
  name: "AccountUser",
  waitTime: between(0.2, 0.5),
  state: () => ({ account: undefined, token: "" }),
  onStart: async (ctx) => {
    const account = free.shift();
    if (!account) {
      ctx.log.warn("no test account left for this user (run it under a master with master_extra.py); stopping it");
      return ctx.stopUser();
    }
    ctx.state.account = account;
    const res = await ctx.client.post("/login", { json: account });
    if (res.ok) ctx.state.token = res.json<{ token: string }>().token;
    ctx.sendMessage("account_in_use", { username: account.username });
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
        await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` } });
      },
    },
  ],
});
