// examples/open-model: `Shop` with --arrival-rate 30 starts 30 task runs a second, its class rate
// (arrivalRate 5) makes -u 4 start 20 a second, both as the server counts them each second; the
// ramp of --stages ends with the area under it; Visitor's poisson(2) averages about 2 a second.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { countsPerSecond } from "../support/run-cli.ts";
import { aggregated, example, loadworkerRun } from "../support/examples.ts";

// The shared fixture's counting server, with the second each request arrived; no master, no binary.
const e2e = useE2e({ tasks: false, server: { log: true } });
const run = (args: string[]) => loadworkerRun(["run", "--tasks", example("open-model"), "--host", e2e.server.url, ...args]);
const served = () => e2e.server.log.filter((hit) => hit.path === "/get" || hit.path === "/delay/200");
const perSecond = () => {
  const log = served().map((hit) => ({ ...hit, path: "any" }));
  return countsPerSecond(log, "any");
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe("examples/open-model", () => {
  test("Shop --arrival-rate 30 --max-users 10: 30 task runs a second, none dropped", async () => {
    e2e.server.log.length = 0;
    const { code, output } = await run(["Shop", "--arrival-rate", "30", "--max-users", "10", "-t", "5s"]);
    expect(code).toBe(0);
    expect(median(perSecond())).toBeWithin(29, 32);
    expect(aggregated(output).requests).toBeWithin(served().length - 10, served().length + 1);
    expect(output).toContain("dropped iterations: 0");
  }, 60_000);

  test("Shop -u 4: the class's arrivalRate 5 per user makes 20 a second", async () => {
    e2e.server.log.length = 0;
    const { code } = await run(["Shop", "-u", "4", "-r", "4", "-t", "5s"]);
    expect(code).toBe(0);
    expect(median(perSecond())).toBeWithin(19, 22);
  }, 60_000);

  test("Shop --stages 2s:20,2s:0 starts the 40 iterations under its ramp and passes dropped_iterations<1", async () => {
    e2e.server.log.length = 0;
    const { code, output } = await run(["Shop", "--stages", "2s:20,2s:0", "--threshold", "dropped_iterations<1"]);
    expect(code).toBe(0);
    expect(served().length).toBe(40);
    expect(output).toContain("passed  dropped_iterations<1");
  }, 60_000);

  test("Visitor with poisson(2): about 2 task runs a second per user", async () => {
    e2e.server.log.length = 0;
    const { code } = await run(["Visitor", "-u", "10", "-r", "10", "-t", "5s"]);
    expect(code).toBe(0);
    // 10 users for ~5 s at 2/s each is ~100, plus each user's first task, run without a wait: a
    // mean of ~110. The exponential waits make it Poisson-like (sd ~10.5), so a band of ±5 sd.
    expect(served().length).toBeWithin(60, 166);
  }, 60_000);
});
