// An example user class, written by `npx loadworker init`: copy it, rename it, load your service.
// Run it:     npm run loadtest -- --host http://localhost:8080      (loadworker run: no master)
// Type-check: npm i -D typescript, then npx tsc --noEmit           (every type comes from "loadworker")
// Master-side Python (custom messages, options) goes in a .py file beside this one; data files
// (.csv, .jsonl) and .proto files here are read with readTaskFile() and built into the binary.
import { between, defineUser } from "loadworker";

interface ExampleState {
  /** Pages this user has seen: per-user state lives as long as the user. */
  pages: number;
}

export const exampleUser = defineUser<ExampleState>({
  name: "ExampleUser", // the class name the Locust master shows (a Python identifier)
  weight: 1,
  waitTime: between(0.5, 2), // seconds between tasks
  state: () => ({ pages: 0 }),
  tasks: [
    {
      name: "home page",
      weight: 3,
      fn: async ({ client, state }) => {
        // A relative URL goes to --host. catchResponse: you decide what counts as a failure.
        const res = await client.get("/", { catchResponse: true });
        if (res.ok)
          res.success(); // a 2xx after redirects; a refused connection is status 0 with res.error
        else res.failure(res.error ?? `status ${res.status}`);
        state.pages += 1;
      },
    },
    {
      name: "a missing page",
      weight: 1,
      fn: async ({ client }) => {
        // Grouped under one name in the stats, whatever the id.
        const id = Math.floor(Math.random() * 1000);
        const res = await client.get(`/items/${id}`, { name: "/items/[id]", catchResponse: true });
        if (res.status === 200 || res.status === 404) res.success();
        else res.failure(res.error ?? `status ${res.status}`);
      },
    },
  ],
});
