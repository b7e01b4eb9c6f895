// --max-rps against a real master: the rate the master measured for a task that does no I/O is
// the cap, within 2%, at 100, 1,000 and 20,000 task executions per second. The master's
// current_rps is its per-second request totals averaged over a 10 s window (Locust's
// StatsEntry.current_rps), so this is a ratio of counts over a window, not a timing assertion.
// The limiter's 100 ms periods start on wall-clock multiples of 100 ms, so each of those epoch
// seconds holds exactly the cap's tokens when the users keep up.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { waitFor } from "../support/wait.ts";
import { controlsMasterPy, statRows } from "./controls-support.ts";

const e2e = useE2e({ tasks: "test/e2e/controls-tasks", server: false, stop: "each" });

/** Runs Ticker users under --max-rps `cap` and returns the master's current_rps for "tick". */
async function measuredRate(cap: number, users: number, extra: string[] = []): Promise<number> {
  const ui = await e2e.uiMaster({ locustfile: controlsMasterPy(e2e.bin), extra: ["Ticker"] });
  const worker = e2e.worker(["--master-port", String(ui.masterPort), "--max-rps", String(cap), ...extra]);
  await waitFor(async () => ((await ui.stats()).workers?.length === 1 ? true : undefined), 30_000, "the worker to register");
  await ui.swarm({ user_count: users, spawn_rate: users, host: "" });
  // 17 s of load: current_rps averages the 10 whole seconds that end 3 s before the last
  // request, so the window starts after the ramp-up second.
  await new Promise((r) => setTimeout(r, 17_000));
  const tick = (await statRows(ui)).find((r) => r.name === "tick");
  if (!tick) throw new Error(`no "tick" row; worker output:\n${worker.output()}`);
  return tick.current_rps;
}

describe("--max-rps caps task executions across the worker's users", () => {
  test.each([
    [100, 10],
    [1_000, 20],
    [20_000, 40],
  ])(
    "at %d/s with %d users, the master measures the cap within 2 percent",
    async (cap, users) => {
      const rate = await measuredRate(cap, users);
      console.log(`--max-rps ${cap}: the master measured ${rate.toFixed(1)}/s (${((rate / cap) * 100).toFixed(2)}% of the cap)`);
      expect(rate / cap).toBeGreaterThanOrEqual(0.98);
      expect(rate / cap).toBeLessThanOrEqual(1.02);
    },
    90_000,
  );
});
