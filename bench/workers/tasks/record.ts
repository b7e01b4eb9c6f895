// record-only: a user class whose one task only records a success (no HTTP, no wait time), the
// cost of the recording path and the user loop per sample. Spawned when the master names RecordUser.
import { defineUser, recordSuccess } from "../../../src/index.ts";

export const recordUser = defineUser({
  name: "RecordUser",
  tasks: [{ name: "record", fn: () => recordSuccess("GET", "/", 1, 0) }],
});
