// Tasks for test/e2e/feeder*.test.ts: each user takes a row of rows.csv (carried with the tasks,
// or found in the working directory the test starts the worker in) and asks the target for it,
// so the target counts rows.
import { constant, defineUser, feeder } from "loadworker";

const rows = feeder<{ id: string; name: string }>("rows.csv", { order: "unique" });

export const rowUser = defineUser({
  name: "RowUser",
  waitTime: constant(0.01),
  tasks: [
    {
      name: "use row",
      fn: async ({ client }) => {
        const row = await rows.next(); // StopUser once every row is taken
        await client.get(`/row/${row.id}?name=${row.name}`, { name: "/row/[id]" });
      },
    },
  ],
});
