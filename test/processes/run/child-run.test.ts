// One child of `run --processes`, in process: fake clock and timers, its lines to the parent captured.
import { describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../../src/api/plan.ts";
import { constant, defineUser } from "../../../src/index.ts";
import { type ChildMessage, decodeChildLine } from "../../../src/processes/run/child-stream.ts";
import { startChildRun } from "../../../src/processes/run/child-run.ts";
import { parseRunFlags } from "../../../src/standalone/options/run-options.ts";
import { FakeClock } from "../../support/fake-clock.ts";
import { FakeTimers } from "../../support/fake-link.ts";
import { recordingLogger } from "../../support/fakes.ts";

const buyer = defineUser({
  name: "Buyer",
  waitTime: constant(3600),
  tasks: [{ name: "buy", fn: (ctx) => ctx.recordSuccess("GET", "/a", 12, 100) }],
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("a --processes child", () => {
  test("tells the parent the moment its last user started, not at its next one-second report, so --reset-stats keeps what follows", async () => {
    // -r 2.5: steps of 2 users 0.8 s apart, so the ramp-up ends at 0.8 s, between two reports.
    const options = parseRunFlags({ thresholds: [], abortOnFail: false, names: [], users: "4", spawnRate: "2.5" });
    const clock = new FakeClock(1_800_000_000);
    const timers = new FakeTimers(clock);
    const lines: ChildMessage[] = [];
    const write = (text: string) => {
      for (const line of text.trimEnd().split("\n")) lines.push(decodeChildLine(line) as ChildMessage);
      return Promise.resolve();
    };
    const plan = buildPlan(collectDefinitions([buyer]));
    const child = startChildRun(plan, plan.users, options, {
      clock,
      log: recordingLogger(),
      share: { index: 0, count: 1 },
      write,
      every: timers.every,
    });
    await settle();
    timers.advance(800);
    await settle();
    const phases = lines.map((m) => (m.type === "stats" ? m.phase : m.type));
    expect(phases.at(-1)).toBe("running");
    await child.stop();
  });
});
