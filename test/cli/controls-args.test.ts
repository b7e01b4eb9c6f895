import { describe, expect, test } from "bun:test";
import { parseRateLimit } from "../../src/cli/controls-args.ts";

describe("--max-rps and --request-increase-rate", () => {
  test("neither, or a zero cap without a ramp, means no limiter at all (nothing on the hot path)", () => {
    expect(parseRateLimit(undefined, undefined)).toBeUndefined();
    expect(parseRateLimit("0", undefined)).toBeUndefined();
    expect(parseRateLimit(undefined, "-1")).toBeUndefined(); // boomer's "off"
  });

  test("a ramp without a cap grows without bound, as boomer's does", () => {
    expect(parseRateLimit(undefined, "10/500ms")).toEqual({ maxRps: Infinity, increase: { step: 10, everyMs: 500 } });
    expect(parseRateLimit("250", "10")).toEqual({ maxRps: 250, increase: { step: 10, everyMs: 1000 } });
  });
});
