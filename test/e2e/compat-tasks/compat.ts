// Tasks for test/e2e/compat.test.ts: requests that fail (HTTP 500) next to ones that pass, and a
// task that stays busy for a while so a graceful stop has something to wait for.
import { constant, defineUser } from "../../../src/index.ts";

export const failer = defineUser({
  name: "Failer",
  weight: 1,
  waitTime: constant(0.05),
  tasks: [
    { name: "ok", weight: 1, fn: ({ client }) => client.get("/ok") },
    { name: "fail", weight: 1, fn: ({ client }) => client.get("/fail") },
  ],
});

export const sleeper = defineUser({
  name: "Sleeper",
  weight: 1,
  waitTime: constant(0.05),
  tasks: [
    {
      name: "slow",
      fn: async ({ client, sleep }) => {
        await client.get("/slow");
        await sleep(0.5);
      },
    },
  ],
});
