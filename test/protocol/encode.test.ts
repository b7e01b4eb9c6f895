import { describe, expect, test } from "bun:test";
import { decode } from "@msgpack/msgpack";
import { encodeWorkerMessage } from "../../src/protocol/encode.ts";
import type { StatsReport as WireStatsReport } from "../../src/protocol/messages.ts";
import { createStats } from "../../src/stats/stats.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { toHex } from "./locust_python.ts";

const NODE = "vm_204200e6e1514eb2acd6d3a76ab17f62"; // 35 bytes, like Locust's node ids
const nodeHex = `d923${Buffer.from(NODE).toString("hex")}`;
const str = (s: string) => (s.length < 32 ? (0xa0 | s.length).toString(16) : "") + Buffer.from(s).toString("hex");

describe("the envelope", () => {
  test("client_ready is [fixstr type, -1 as 0xff, node id]", () => {
    expect(toHex(encodeWorkerMessage({ type: "client_ready" }, NODE))).toBe(`93${str("client_ready")}ff${nodeHex}`);
  });

  test.each(["spawning", "client_stopped", "quit"] as const)("%s carries nil data", (type) => {
    expect(toHex(encodeWorkerMessage({ type }, NODE))).toBe(`93${str(type)}c0${nodeHex}`);
  });

  test("heartbeat carries state, cpu percent (float) and memory bytes (int)", () => {
    const bytes = encodeWorkerMessage({ type: "heartbeat", state: "running", cpuPercent: 12.5, memoryBytes: 52_428_800 }, NODE);
    expect(toHex(bytes)).toBe(
      `93${str("heartbeat")}83${str("state")}${str("running")}${str("current_cpu_usage")}cb4029000000000000` +
        `${str("current_memory_usage")}ce03200000${nodeHex}`,
    );
  });

  test("heartbeat never sends NaN: an unknown cpu reads as 0", () => {
    const bytes = encodeWorkerMessage({ type: "heartbeat", state: "ready", cpuPercent: Number.NaN, memoryBytes: 1.7 }, NODE);
    expect(decode(bytes)).toEqual(["heartbeat", { state: "ready", current_cpu_usage: 0, current_memory_usage: 1 }, NODE]);
  });

  test("spawning_complete, exception and logs carry Locust's keys", () => {
    const msg = (m: Parameters<typeof encodeWorkerMessage>[0]) => decode(encodeWorkerMessage(m, NODE));
    expect(msg({ type: "spawning_complete", userClassesCount: { Alpha: 2, Beta: 0 }, userCount: 2 })).toEqual([
      "spawning_complete",
      { user_classes_count: { Alpha: 2, Beta: 0 }, user_count: 2 },
      NODE,
    ]);
    expect(msg({ type: "exception", msg: "boom", traceback: "at x" })).toEqual(["exception", { msg: "boom", traceback: "at x" }, NODE]);
    expect(msg({ type: "logs", lines: ["a", "b"] })).toEqual(["logs", { worker_id: NODE, logs: ["a", "b"] }, NODE]);
  });

  test("a custom message goes out under its own type with its data as given (nil when none)", () => {
    const msg = (m: Parameters<typeof encodeWorkerMessage>[0]) => decode(encodeWorkerMessage(m, NODE));
    expect(msg({ type: "custom", name: "account_used", data: { user: "u1", n: [1, 2.5] } })).toEqual([
      "account_used",
      { user: "u1", n: [1, 2.5] },
      NODE,
    ]);
    expect(msg({ type: "custom", name: "ping", data: undefined })).toEqual(["ping", null, NODE]);
  });

  test("custom data msgpack cannot carry throws a TypeError for the caller to report", () => {
    expect(() => encodeWorkerMessage({ type: "custom", name: "x", data: { when: new Date() } }, NODE)).toThrow(TypeError);
    expect(() => encodeWorkerMessage({ type: "custom", name: "x", data: () => 1 }, NODE)).toThrow(TypeError);
  });
});

describe("a stats message", () => {
  const clock = new FakeClock(1000.5);
  const stats = createStats(clock);
  stats.recorder.success("GET", "/ok", 147.3, 10);
  stats.recorder.failure("GET", "/ok", 5, "HTTP 500");
  // The stats layer's report fits the protocol's wire type structurally (checked by tsc here).
  const report: WireStatsReport = stats.report({ Alpha: 1 }, 1);
  const bytes = encodeWorkerMessage({ type: "stats", report }, NODE);
  const hex = toHex(bytes);

  test("writes response_times with msgpack integer keys", () => {
    expect(hex).toContain(`${str("response_times")}82cc96010501`);
  });

  test("writes num_reqs_per_sec and num_fail_per_sec with integer epoch-second keys", () => {
    expect(hex).toContain(`${str("num_reqs_per_sec")}81cd03e802`);
    expect(hex).toContain(`${str("num_fail_per_sec")}81cd03e801`);
  });

  test("has exactly Locust's top-level and entry keys", () => {
    const [, data] = decode(bytes) as [string, Record<string, unknown>, string];
    expect(Object.keys(data)).toEqual(["stats", "stats_total", "errors", "user_classes_count", "user_count"]);
    const total = data.stats_total as Record<string, unknown>;
    expect(Object.keys(total)).toEqual([
      "name",
      "method",
      "last_request_timestamp",
      "start_time",
      "num_requests",
      "num_none_requests",
      "num_failures",
      "total_response_time",
      "max_response_time",
      "min_response_time",
      "total_content_length",
      "response_times",
      "num_reqs_per_sec",
      "num_fail_per_sec",
    ]);
  });

  test("sends an empty errors map (not an array) when there are none", () => {
    const empty = encodeWorkerMessage({ type: "stats", report: stats.report({}, 0) }, NODE);
    expect(toHex(empty)).toContain(`${str("errors")}80`);
  });

  test("never contains ext or bin types", () => {
    // Walking decode() output would hide them; the package decodes ext into objects we can spot.
    const walk = (v: unknown): boolean =>
      v === null ||
      ["string", "number", "boolean"].includes(typeof v) ||
      (Array.isArray(v) ? v.every(walk) : Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(walk));
    expect(walk(decode(bytes))).toBe(true);
  });
});
