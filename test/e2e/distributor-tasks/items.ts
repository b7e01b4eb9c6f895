// loadworker's half of test/e2e/distributor.full.test.ts: the same user class as the Python
// locustfile there, taking items from the master's locust-plugins Distributor named "items".
import { constant, defineUser, distributor } from "loadworker";

const items = distributor<number>("items");

export const itemUser = defineUser({
  name: "ItemUser",
  waitTime: constant(0.1), // as the Python class: both kinds of worker get a share of the 1,000
  tasks: [
    {
      name: "use item",
      fn: async ({ client }) => {
        const item = await items.next(); // StopUser once the master's iterator is done
        await client.get(`/ts/item/${item}`, { name: "/ts/item/[id]" });
      },
    },
  ],
});
