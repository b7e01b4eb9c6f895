// examples/http-login as its README runs it: every user logs in once, then every request carries
// its token (the demo target answers 401 without one), and the summary matches what was served;
// the same under Deno, from the same sources.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Target, aggregated, demoTarget, example, loadworkerRun, servedMatching } from "../support/examples.ts";
import { summaryCounts } from "../support/run-cli.ts";

let target: Target;
beforeAll(async () => {
  target = await demoTarget();
});
afterAll(() => target.close());

describe("examples/http-login", () => {
  test.each(["npx", "deno"] as const)(
    "4 users log in once each and list and view items with their tokens, no failure (%s)",
    async (runtime) => {
      const before = await target.served();
      const args = ["run", "--tasks", example("http-login"), "-u", "4", "-r", "4", "-t", "3s", "--host", target.url];
      const { code, output } = await loadworkerRun([...args, "--exit-code-on-error", "1"], runtime);
      expect(code).toBe(0);
      const summary = summaryCounts(output);
      const after = await target.served();
      const served = Object.fromEntries(Object.entries(after).map(([path, n]) => [path, n - (before[path] ?? 0)]));
      expect(served["/login"]).toBe(4);
      expect(summary.get("POST /login")).toBe(4);
      expect(summary.get("GET /api/items")).toBeGreaterThan(10);
      expect(summary.get("GET /api/items/[id]")).toBeGreaterThan(0);
      // A request in flight when the run time ends is served but not recorded (its user is stopped):
      // at most one per user, never the other way round.
      const listsCutOff = (served["/api/items"] ?? 0) - (summary.get("GET /api/items") as number);
      const viewsCutOff = servedMatching(served, /^\/api\/items\/\d+$/) - (summary.get("GET /api/items/[id]") as number);
      expect(Math.min(listsCutOff, viewsCutOff)).toBeGreaterThanOrEqual(0);
      expect(listsCutOff + viewsCutOff).toBeLessThanOrEqual(4);
      expect(aggregated(output)).toEqual({ requests: summary.get("Aggregated") as number, failures: 0 });
    },
    120_000,
  );
});
