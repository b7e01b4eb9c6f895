// The end-of-run text's own lines (Locust's tables are in locust-parity.test.ts).
import { describe, expect, test } from "bun:test";
import { Accumulator } from "../../../src/standalone/merge/accumulator.ts";
import { checkThresholds } from "../../../src/standalone/merge/threshold-check.ts";
import { parseThreshold } from "../../../src/standalone/options/threshold.ts";
import { summaryText } from "../../../src/standalone/report/summary.ts";
import { displayWidth } from "../../../src/standalone/view/text-width.ts";

describe("summaryText", () => {
  test("lines the thresholds' subjects up in one column on a terminal, a CJK name counting two columns a character", () => {
    const thresholds = ["p95<100", "压测HttpBin:p99<5", "/missing:max<1"].map((t) => {
      const parsed = parseThreshold(t);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.threshold;
    });
    const acc = new Accumulator(1_800_000_000);
    const text = summaryText(acc, {
      nameWidth: 40,
      endedBy: "run-time",
      duration: 3,
      thresholds: checkThresholds(acc, thresholds),
      exitCode: 99,
      files: [],
    });
    const lines = text.split("\n").filter((l) => / (passed|FAILED) {2}/.test(l));
    expect(lines).toHaveLength(3);
    const subjectColumns = lines.map((l) => displayWidth(l.slice(0, l.search(/ {2}\S+: (measured|nothing)/))));
    expect(new Set(subjectColumns).size).toBe(1);
  });
});
