import { describe, expect, test } from "bun:test";
import { formatSeconds, parseTimespan } from "../../../src/standalone/options/duration.ts";
import { parseRunFlags } from "../../../src/standalone/options/run-options.ts";
import { runLocustScript } from "../../protocol/locust_python.ts";

const GOOD = ["20", "0", "30s", "5m", "2h", "1h30m", "3h30m10s", "1h10s", "90m", "007s"];
const BAD = ["", "5x", "1.5m", "-3", "30 s", "s", "m", "1m1h", "1h 30m", "1d", "30S", " 30s", "1h30m10s5"];

describe("parseTimespan", () => {
  test("reads Locust's formats to the same seconds as Locust's parse_timespan", () => {
    const py = runLocustScript("locust_timespan.py", { texts: [...GOOD, ...BAD] }) as Array<number | null>;
    expect(GOOD.map(parseTimespan)).toEqual(py.slice(0, GOOD.length));
    expect(BAD.map(parseTimespan)).toEqual(py.slice(GOOD.length));
  });

  test("reads 1h30m as 5400 seconds and rejects 5x", () => {
    expect(parseTimespan("1h30m")).toBe(5400);
    expect(parseTimespan("5x")).toBeNull();
  });
});

describe("formatSeconds", () => {
  test("writes whole seconds as the shortest h/m/s form", () => {
    expect(formatSeconds(0)).toBe("0s");
    expect(formatSeconds(59.9)).toBe("59s");
    expect(formatSeconds(61)).toBe("1m01s");
    expect(formatSeconds(5400)).toBe("1h30m00s");
  });
});

describe("-t and --stop-timeout", () => {
  const flags = { thresholds: [], abortOnFail: false, names: [] };

  test("longer than a timer can wait (596h31m23s) is a usage error, not a run that ends at once", () => {
    expect(() => parseRunFlags({ ...flags, runTime: "600h" })).toThrow(
      '-t/--run-time must be at most 596h31m23s (about 24 days), got "600h"',
    );
    expect(() => parseRunFlags({ ...flags, stopTimeout: "1000h" })).toThrow("--stop-timeout must be at most 596h31m23s");
    expect(parseRunFlags({ ...flags, runTime: "596h31m23s" }).runTime).toBe(2_147_483);
  });
});
