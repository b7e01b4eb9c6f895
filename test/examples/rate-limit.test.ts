// examples/rate-limit: `--max-rps` holds the whole process at its cap, and constantThroughput(2)
// holds each Paced user at 2 tasks a second, both counted by the server each second.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { countsPerSecond, expectCapHeld, expectServedCutOff, summaryCounts } from "../support/run-cli.ts";
import { example, loadworkerRun } from "../support/examples.ts";

// The shared fixture's counting server, with the second each request arrived; no master, no binary.
const e2e = useE2e({ tasks: false, server: { log: true } });
const run = (args: string[]) => loadworkerRun(["run", "--tasks", example("rate-limit"), "--host", e2e.server.url, ...args]);

describe("examples/rate-limit", () => {
  test("20 Greedy users with no wait are held at --max-rps 30 in every whole second", async () => {
    const { code, output } = await run(["Greedy", "-u", "20", "-r", "20", "-t", "8s", "--max-rps", "30"]);
    expect(code).toBe(0);
    // A request in flight at the run's end is served, not recorded: one per user at most (as in test/e2e/run-controls).
    expectServedCutOff(e2e.server.counts.get("/get") as number, summaryCounts(output).get("GET greedy get") as number, 20);
    expectCapHeld(countsPerSecond(e2e.server.log, "/get"), 30, "examples/rate-limit Greedy --max-rps 30");
  }, 120_000);

  test("4 Paced users with constantThroughput(2) make 8 requests a second, no flag needed", async () => {
    e2e.server.log.length = 0;
    const { code } = await run(["Paced", "-u", "4", "-r", "4", "-t", "7s"]);
    expect(code).toBe(0);
    const perSecond = countsPerSecond(e2e.server.log, "/get");
    console.log(`examples/rate-limit Paced: the server counted ${perSecond.join(", ")} in whole seconds`);
    expect(perSecond.length).toBeGreaterThanOrEqual(4);
    const sorted = [...perSecond].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBe(8);
    expect(Math.max(...perSecond)).toBeLessThanOrEqual(9);
  }, 120_000);
});
