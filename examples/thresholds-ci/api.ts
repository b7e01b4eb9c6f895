// What a CI job checks: a user class whose requests are fast except one slow report. The
// thresholds on the command line (see README.md) turn the run's numbers into an exit code.
import { between, defineUser } from "loadworker";

export const apiUser = defineUser<{ token: string }>({
  name: "ApiUser",
  waitTime: between(0.05, 0.15),
  state: () => ({ token: "" }),
  onStart: async ({ client, state, userId }) => {
    const res = await client.post("/login", { json: { username: `ci-${userId}` } });
    if (res.ok) state.token = res.json<{ token: string }>().token;
  },
  tasks: [
    {
      name: "list items",
      weight: 5,
      fn: async ({ client, state }) => {
        await client.get("/api/items", { headers: { authorization: `Bearer ${state.token}` } });
      },
    },
    {
      // The demo target's /delay/300 answers after 300 ms.
      name: "slow report",
      fn: async ({ client }) => {
        await client.get("/delay/300", { name: "slow report" });
      },
    },
  ],
});
