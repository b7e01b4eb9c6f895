import { describe, expect, test } from "bun:test";
import { failureDigest } from "../../scripts/lib/failure-digest.ts";

describe("the failure digest CI shows above the last line", () => {
  test("keeps each failing test with the lines bun printed before it, and drops the passing ones", () => {
    const out = [
      "(pass) a passing test [1ms]",
      "error: expect(received).toBe(expected)",
      "Expected: 0",
      "Received: 1",
      "(fail) npm i the tarball [5ms]",
      "(pass) another [1ms]",
    ].join("\n");
    expect(failureDigest(out).split("\n")).toEqual([
      "   error: expect(received).toBe(expected)",
      "   Expected: 0",
      "   Received: 1",
      "   (fail) npm i the tarball [5ms]",
    ]);
  });

  test("without a failing test (a crash), keeps the output's last lines", () => {
    const out = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
    const digest = failureDigest(out).split("\n");
    expect(digest).toHaveLength(12);
    expect(digest.at(-1)).toBe("   line 29");
  });
});
