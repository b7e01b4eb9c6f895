// Test hooks: Locust's test_start / test_stop events. onTestStart runs once per test in each
// worker process before its first user starts (the users wait for it), so it can prepare what they
// share: here one login whose token every user sends. onTestStop runs once after the last user
// stopped: here a cleanup call. Hooks get no per-user client; they use fetch.
import { constant, defineUser, onTestStart, onTestStop } from "loadworker";

let sharedToken = "";

export const login = onTestStart(async ({ host, log }) => {
  const res = await fetch(`${host}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "load-test" }),
  });
  if (!res.ok) throw new Error(`setup login failed: ${res.status}`);
  sharedToken = ((await res.json()) as { token: string }).token;
  log.info(`test starting against ${host}: logged in once for every user`);
});

export const cleanUp = onTestStop(async ({ host, log }) => {
  // The demo target's /status/204 stands for "delete what the test created".
  const res = await fetch(`${host}/status/204`);
  log.info(`test over: cleanup answered ${res.status}`);
});

export const reader = defineUser({
  name: "Reader",
  waitTime: constant(0.2),
  tasks: [
    {
      name: "items with the shared token",
      fn: async ({ client }) => {
        await client.get("/api/items", { headers: { authorization: `Bearer ${sharedToken}` } });
      },
    },
  ],
});
