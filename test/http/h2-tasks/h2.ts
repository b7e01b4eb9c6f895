// Tasks for the HTTP/2 end-to-end test (test/http/h2-worker.full.test.ts): each H2User runs
// ROUNDS rounds of BATCH concurrent GETs over HTTP/2 (one connection, BATCH streams), then ends
// itself, so every count is exact. A response that did not come over HTTP/2 throws.
// Relative, not "loadworker": under Deno that resolves to the packed dist/, which a checkout lacks.
import { defineUser } from "../../../src/index.ts";

export const ROUNDS = 5;
export const BATCH = 10;

export const h2User = defineUser<{ round: number }>({
  name: "H2User",
  // nginx's certificate is self-signed, made by the test.
  http: { http2: true, rejectUnauthorized: false },
  state: () => ({ round: 0 }),
  tasks: [
    {
      name: "batch",
      fn: async (ctx) => {
        const responses = await Promise.all(Array.from({ length: BATCH }, () => ctx.client.get("/h2")));
        const versions = new Set(responses.map((r) => r.httpVersion));
        if (versions.size !== 1 || !versions.has("2")) throw new Error(`HTTP versions ${[...versions].join(", ")}, not 2`);
        if (++ctx.state.round >= ROUNDS) ctx.stopUser();
      },
    },
  ],
});
