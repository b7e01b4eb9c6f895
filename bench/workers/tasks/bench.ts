// The bench worker's one task: GET / on the master's host, no wait time (a standalone task runs
// back to back), recorded by the client like boomer's RecordSuccess/RecordFailure.
import { defineTask } from "../../../src/index.ts";

export const getRoot = defineTask({
  name: "getRoot",
  weight: 1,
  fn: async ({ client }) => {
    await client.get("/");
  },
});
