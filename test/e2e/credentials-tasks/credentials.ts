// Tasks for test/e2e/credentials.test.ts: every way a URL with a password reaches the client
// (in the task, in the master's host, in a redirect, in a URL that cannot be parsed).
import { constant, defineUser } from "../../../src/index.ts";

const port = () => process.env.E2E_SECRET_PORT ?? "1";
const refused = () => process.env.E2E_REFUSED_PORT ?? "1";

export const leaky = defineUser({
  name: "Leaky",
  waitTime: constant(0.05),
  tasks: [
    { name: "task url", fn: ({ client }) => client.get(`http://u:secret@127.0.0.1:${port()}/x`) },
    { name: "host", fn: ({ client }) => client.get("/y") },
    { name: "refused", fn: ({ client }) => client.get(`http://u:secret@127.0.0.1:${refused()}/down`) },
    { name: "redirect loop", fn: ({ client }) => client.get(`http://u:secret@127.0.0.1:${port()}/loop`) },
    { name: "bad url", fn: ({ client }) => client.get("http://u:secret@[bad/z") },
  ],
});
