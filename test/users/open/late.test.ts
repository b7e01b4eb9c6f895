import { describe, expect, test } from "bun:test";
import type { Recorder } from "../../../src/stats/index.ts";
import { newActivity } from "../../../src/users/activity.ts";
import { lateAwareRecorder } from "../../../src/users/open/late.ts";

describe("lateAwareRecorder", () => {
  test("times the first request of a late iteration from its scheduled start, the next ones as they are", () => {
    const seen: Array<[string, number]> = [];
    const inner: Recorder = {
      success: (_m, name, ms) => void seen.push([name, ms]),
      failure: (_m, name, ms) => void seen.push([name, ms]),
    };
    const activity = { ...newActivity(), lateMs: 0 };
    const recorder = lateAwareRecorder(inner, activity);
    recorder.success("GET", "on time", 5, 10);
    activity.lateMs = 250; // the iteration started 250 ms after it was due
    recorder.failure("GET", "first", 20, new Error("x"));
    recorder.success("GET", "second", 20, 10);
    expect(seen).toEqual([
      ["on time", 5],
      ["first", 270],
      ["second", 20],
    ]);
  });
});
