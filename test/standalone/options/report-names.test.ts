// `--html` takes Locust's tags in its file name ({u} users, {r} spawn rate, {t} run time in
// seconds: html.py process_html_filename), so one command line names each run's report.
import { describe, expect, test } from "bun:test";
import { parseRunFlags } from "../../../src/standalone/options/run-options.ts";

const flags = (extra: object) => ({ thresholds: [], abortOnFail: false, names: [], ...extra });

describe("the --html file name", () => {
  test("gets the users, spawn rate and run time in seconds where it says {u}, {r} and {t}", () => {
    const options = parseRunFlags(flags({ users: "100", spawnRate: "10", runTime: "1m30s", html: "reports/run_{u}_{r}_{t}.html" }));
    expect(options.htmlFile).toBe("reports/run_100_10_90.html");
  });

  test("prints a fractional spawn rate as Python does, and keeps {t} when the run has no time limit", () => {
    const options = parseRunFlags(flags({ users: "3", spawnRate: "0.5", html: "r_{u}u_{r}_{t}.html" }));
    expect(options.htmlFile).toBe("r_3u_0.5_{t}.html");
  });

  test("leaves a name without tags, and the other report names, as given", () => {
    const options = parseRunFlags(flags({ users: "2", html: "plain.html", json: "r_{u}.json", csv: "c_{u}" }));
    expect([options.htmlFile, options.jsonFile, options.csvPrefix]).toEqual(["plain.html", "r_{u}.json", "c_{u}"]);
  });
});
