// The report files of a run: probed before any load starts, written at its end.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openReportFiles } from "../../../src/standalone/report/report-files.ts";
import { tempDir } from "../../support/procs.ts";

describe("openReportFiles", () => {
  test("probing leaves no empty report behind, so a run stopped by later bad input writes nothing", () => {
    const dir = tempDir("report-files");
    openReportFiles({ csvPrefix: undefined, jsonFile: join(dir, "out", "run.json"), htmlFile: join(dir, "run.html") }, "header\n");
    expect(readdirSync(dir)).toEqual(["out"]); // the folder is made, as Locust makes --csv's
    expect(existsSync(join(dir, "out", "run.json"))).toBe(false);
  });

  test("probing keeps a report that was there, untouched until the run's end rewrites it", () => {
    const dir = tempDir("report-files");
    const json = join(dir, "run.json");
    writeFileSync(json, "{}\n");
    const files = openReportFiles({ csvPrefix: undefined, jsonFile: json, htmlFile: undefined }, "header\n");
    expect(readFileSync(json, "utf8")).toBe("{}\n");
    const written = files.writeFinal({ statsCsv: "", failuresCsv: "", exceptionsCsv: "", json: () => "[]\n", html: () => "" });
    expect([written, readFileSync(json, "utf8")]).toEqual([[json], "[]\n"]);
  });
});
