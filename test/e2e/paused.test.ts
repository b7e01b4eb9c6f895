// A worker paused from outside (SIGSTOP, as a suspended VM or container looks): `loadworker run`
// from the sources, stopped for 3 s then resumed. Its warning must say the process was paused or
// starved, not blame the last task: its CPU time did not move while it was stopped.
import { describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { startRun } from "../support/run-cli.ts";
import { waitFor } from "../support/wait.ts";

const e2e = useE2e({ tasks: false });

describe("a `loadworker run` process stopped with SIGSTOP for 3 s", () => {
  test.each([
    ["Bun", { kind: "source" } as const],
    ["Deno", { kind: "deno" } as const],
  ])(
    "under %s: says it was paused or starved, names no task, and carries on",
    async (_, runner) => {
      const run = startRun(runner, ["-u", "2", "-r", "2", "-t", "30s", "--host", e2e.server.url]);
      await waitFor(() => (/all 2 users started/.test(run.stderr()) ? true : undefined), 20_000, "the users to start");
      run.signal("SIGSTOP");
      await new Promise((r) => setTimeout(r, 3_000));
      run.signal("SIGCONT");
      const warning = await waitFor(() => /the process was paused[^\n]*/.exec(run.stderr())?.[0], 15_000, "the pause warning");
      const seconds = Number(/for ([\d.]+)s/.exec(warning)?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(2.4);
      expect(warning).not.toContain("last task started");
      expect(run.stderr()).not.toContain("the event loop was blocked");
      const served = e2e.server.counts.get("/items") ?? 0;
      await waitFor(() => ((e2e.server.counts.get("/items") ?? 0) > served ? true : undefined), 10_000, "requests after the pause");
      run.signal("SIGINT");
      expect((await run.result).code).toBe(0);
    },
    60_000,
  );
});
