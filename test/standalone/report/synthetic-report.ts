// A run report made from recorded stats on a fake clock (for the report tests): ten Shopper users,
// an exception, and thresholds that pass, fail and find nothing.
import { createStats } from "../../../src/stats/index.ts";
import { Accumulator } from "../../../src/standalone/merge/accumulator.ts";
import { type HistoryPoint, historyPoint } from "../../../src/standalone/merge/history.ts";
import { type RunReport, runReport } from "../../../src/standalone/report/json-report.ts";
import { taskRatio } from "../../../src/standalone/report/task-ratio.ts";
import { checkThresholds } from "../../../src/standalone/merge/threshold-check.ts";
import { parseThreshold } from "../../../src/standalone/options/threshold.ts";
import { FakeClock } from "../../support/fake-clock.ts";
import { recordRun } from "../recorded-run.ts";

export function syntheticReport(): RunReport {
  const clock = new FakeClock(1_795_592_059.25);
  const stats = createStats(clock);
  const startedAt = clock.epoch();
  const acc = new Accumulator(startedAt);
  const history: HistoryPoint[] = [];
  let users = 0;
  recordRun(stats.recorder, clock, () => {
    users = Math.min(users + 2, 10);
    acc.merge(stats.report({ Shopper: users }, users), clock.epoch());
    history.push(historyPoint(acc, clock.epoch(), users));
  });
  acc.addException("TypeError('x') in task browse", "in task browse\nTypeError: x\n    at browse (tasks/shop.ts:3:9)");
  const thresholds = ["p95<20000", "fail_ratio<0.01", "/missing:p99<5"].map((t) => {
    const parsed = parseThreshold(t);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.threshold;
  });
  return runReport(
    acc,
    {
      startedAt,
      endedAt: clock.epoch(),
      endedBy: "run-time",
      users: 10,
      spawnRate: 2,
      runTimeSeconds: 40,
      host: "http://127.0.0.1:1",
      userClasses: ["Shopper"],
      processes: 1,
    },
    history,
    checkThresholds(acc, thresholds),
    taskRatio(
      [
        {
          name: "Shopper",
          tasks: [
            { name: "browse", weight: 3 },
            { name: "checkout", weight: 1 },
          ],
        },
      ],
      { Shopper: 10 },
    ),
  );
}
