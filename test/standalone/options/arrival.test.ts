import { describe, expect, test } from "bun:test";
import { parseArrival, parseRate, parseStages, stagesSeconds } from "../../../src/standalone/options/arrival.ts";
import { parseRunFlags } from "../../../src/standalone/options/run-options.ts";

describe("parseRate", () => {
  test.each([
    ["50", 50],
    ["50/s", 50],
    ["300/m", 5],
    ["36/h", 0.01],
    ["0.5", 0.5],
    [" 7 ", 7],
  ])("%p is %p per second", (text, rate) => {
    expect(parseRate(text)).toBeCloseTo(rate, 12);
  });

  test.each(["abc", "-5", "5/d", "", "1e3", "5/"])("%p is not a rate", (text) => {
    expect(parseRate(text)).toBeNull();
  });
});

describe("parseStages", () => {
  test("reads DURATION:RATE stages", () => {
    expect(parseStages("30s:50, 2m:200,30s:0")).toEqual([
      { seconds: 30, rate: 50 },
      { seconds: 120, rate: 200 },
      { seconds: 30, rate: 0 },
    ]);
    expect(parseStages("1m:600/m")).toEqual([{ seconds: 60, rate: 10 }]);
  });

  test.each(["30s", "30s:", ":5", "30s:5:6", "x:5", "0s:5", "30s:abc"])("%p is refused with the stage named", (text) => {
    const parsed = parseStages(text);
    expect("error" in parsed && parsed.error).toContain('"');
  });
});

describe("parseArrival", () => {
  test("no rate nor stages is the closed model", () => {
    expect(parseArrival({ users: "10" })).toBeNull();
  });

  test("--max-users defaults to -u, else the peak rate", () => {
    expect(parseArrival({ arrivalRate: "50", users: "8" })?.maxUsers).toBe(8);
    expect(parseArrival({ arrivalRate: "50" })?.maxUsers).toBe(50);
    expect(parseArrival({ arrivalRate: "0.2/s" })?.maxUsers).toBe(1);
    expect(parseArrival({ stages: "10s:30,10s:120" })?.maxUsers).toBe(120);
    expect(parseArrival({ arrivalRate: "50", maxUsers: "3", users: "8" })?.maxUsers).toBe(3);
  });

  test("stages start from --arrival-rate (0 without it) and set the run time when -t is not given", () => {
    const arrival = parseArrival({ arrivalRate: "10", stages: "30s:50,30s:0" });
    expect(arrival?.rate).toBe(10);
    expect(arrival && stagesSeconds(arrival)).toBe(61); // and 1 s for the last iterations
    const options = parseRunFlags({ stages: "30s:50,1m:0", thresholds: [], abortOnFail: false, names: [] });
    expect(options.runTime).toBe(91);
    expect(options.users).toBe(50); // the users the open model may start
    expect(parseRunFlags({ stages: "30s:50", runTime: "10s", thresholds: [], abortOnFail: false, names: [] }).runTime).toBe(10);
  });

  test.each([
    [{ arrivalRate: "0" }, "--arrival-rate"],
    [{ arrivalRate: "-5" }, "--arrival-rate"],
    [{ arrivalRate: "abc" }, "--arrival-rate"],
    [{ stages: "30s:0" }, "--stages: every stage has rate 0"],
    [{ stages: "fast" }, "--stages"],
    [{ arrivalRate: "5", maxUsers: "0" }, "--max-users"],
    [{ arrivalRate: "5", maxUsers: "2.5" }, "--max-users"],
    [{ arrivalRate: "5", users: "0" }, "-u/--users"],
    [{ maxUsers: "5" }, "--max-users applies to the open model"],
    [
      { arrivalRate: "5", spawnRate: "2" },
      "-r/--spawn-rate is the closed model's; with --arrival-rate users start as iterations need them",
    ],
    [{ stages: "10s:5", spawnRate: "2" }, "-r/--spawn-rate is the closed model's; with --stages"],
  ])("%p is a usage error naming %p", (flags, flag) => {
    expect(() => parseArrival(flags)).toThrow(flag);
  });
});
