// How loud the DEALER logs a failed connection attempt (src/transport/attempts.ts): no flood of
// warnings, but no silence either while the same failure lasts.
import { describe, expect, test } from "bun:test";
import { ConnectAttempts } from "../../src/transport/attempts.ts";

const levels = (attempts: ConnectAttempts, reason: string, n: number) => Array.from({ length: n }, () => attempts.failed(reason).level);

describe("ConnectAttempts", () => {
  test("a master host that never resolves is a warning at first, then again every dozen attempts (under a minute apart), not only once", () => {
    const reason = 'cannot resolve the master host "mastr" (ENOTFOUND)';
    const seen = levels(new ConnectAttempts(100, 5000), reason, 40);
    const warnings = seen.flatMap((level, i) => (level === "warn" ? [i + 1] : []));
    expect(warnings).toEqual([1, 13, 25, 37]);
    expect(seen.filter((l) => l === "debug")).toHaveLength(36);
  });

  test("counts the attempts that failed in a row, and starts over once connected", () => {
    const attempts = new ConnectAttempts(100, 5000);
    levels(attempts, "connection reset", 3);
    expect(attempts.failed("connection reset").attempts).toBe(4);
    expect(attempts.succeeded()).toBe("connected");
    expect(attempts.failed("connection reset")).toMatchObject({ attempts: 1, level: "warn" });
  });

  test("a master that is still starting (refused) is info once, then quiet", () => {
    const seen = levels(new ConnectAttempts(100, 5000), "connection refused by master at 127.0.0.1:5557", 6);
    expect(seen).toEqual(["info", "debug", "debug", "debug", "debug", "debug"]);
  });
});
