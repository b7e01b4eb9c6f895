// Two ways to bound the load. `Greedy` has no wait time: alone it runs as fast as the target
// answers, so cap the whole process with `--max-rps` (boomer's flag; `--request-increase-rate`
// ramps the cap up). `Paced` sets its own rate per user with constantThroughput (Locust's
// constant_throughput): N users make at most N × 2 task runs per second, whatever the flags.
import { constantThroughput, defineUser } from "loadworker";

export const greedy = defineUser({
  name: "Greedy",
  tasks: [
    {
      name: "greedy get",
      fn: async ({ client }) => {
        await client.get("/get?user=greedy", { name: "greedy get" });
      },
    },
  ],
});

export const paced = defineUser({
  name: "Paced",
  waitTime: constantThroughput(2),
  tasks: [
    {
      name: "paced get",
      fn: async ({ client }) => {
        await client.get("/get?user=paced", { name: "paced get" });
      },
    },
  ],
});
