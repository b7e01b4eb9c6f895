// Our bytes checked by Locust itself: worker messages decoded with locust.rpc.protocol.Message
// and merged with locust.stats (as the master's on_worker_report does); master messages encoded
// by Locust's Message.serialize() and decoded by us. Needs .venv (scripts/lib/venv.sh).
import { describe, expect, test } from "bun:test";
import { decodeMasterMessage } from "../../src/protocol/decode.ts";
import { encodeWorkerMessage } from "../../src/protocol/encode.ts";
import type { MasterMessage } from "../../src/protocol/messages.ts";
import { errorKey } from "../../src/stats/errors.ts";
import { createStats } from "../../src/stats/stats.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { fromHex, runLocustScript, toHex } from "./locust_python.ts";

const NODE = "vm_204200e6e1514eb2acd6d3a76ab17f62";
// In the past, so it wins the master's min(start_time) against Python's own time.time().
const E = 1_700_000_000;

interface EntryView {
  name: string;
  method: string;
  num_requests: number;
  num_none_requests: number;
  num_failures: number;
  total_response_time: number;
  min_response_time: number | null;
  max_response_time: number;
  total_content_length: number;
  start_time: number;
  last_request_timestamp: number | null;
  avg_response_time: number;
  median_response_time: number;
  p95: number;
  p99: number;
  current_rps: number;
  current_fail_per_sec: number;
  total_rps: number;
  fail_ratio: number;
  response_times: Array<[number, string, number]>;
  num_reqs_per_sec: Array<[number, string, number]>;
  num_fail_per_sec: Array<[number, string, number]>;
}
interface MasterView {
  messages: Array<Record<string, unknown>>;
  entries: EntryView[];
  total: EntryView;
  errors: Array<Record<string, unknown>>;
  summary: string[];
}

// 15 seconds of traffic: each second 3 timed GETs and 1 failing POST; one untimed GET at the
// start; a stats report every 3 seconds, as the runtime will send them.
function workerFrames(): string[] {
  const clock = new FakeClock(E);
  const stats = createStats(clock);
  const frames = [
    encodeWorkerMessage({ type: "client_ready" }, NODE),
    encodeWorkerMessage({ type: "heartbeat", state: "running", cpuPercent: 12.5, memoryBytes: 5_000_000_000 }, NODE),
    encodeWorkerMessage({ type: "spawning" }, NODE),
    encodeWorkerMessage({ type: "spawning_complete", userClassesCount: { Alpha: 3, Beta: 0 }, userCount: 3 }, NODE),
    encodeWorkerMessage({ type: "exception", msg: "boom", traceback: "Error: boom\n    at task" }, NODE),
    encodeWorkerMessage({ type: "logs", lines: ["started", "é"] }, NODE),
  ];
  clock.set(E + 0.1);
  stats.recorder.success("GET", "/none", Number.NaN, 0);
  for (let second = 0; second < 15; second++) {
    const at = (fraction: number) => clock.set(E + second + fraction);
    at(0.25);
    stats.recorder.success("GET", "/ok", 5.5, 0);
    at(0.5);
    stats.recorder.success("GET", "/ok", 147.3, 0);
    at(0.75);
    stats.recorder.success("GET", "/ok", 3432, 100);
    at(0.9);
    stats.recorder.failure("POST", "/bad", 12.5, new Error("boom"));
    if (second % 3 === 2) {
      at(0.95);
      frames.push(encodeWorkerMessage({ type: "stats", report: stats.report({ Alpha: 3, Beta: 0 }, 3) }, NODE));
    }
  }
  return frames.map(toHex);
}

describe("a real Locust master", () => {
  const master = runLocustScript("locust_worker_messages.py", { frames: workerFrames() }) as MasterView;
  const entry = (method: string, name: string) => master.entries.find((e) => e.method === method && e.name === name);

  test("decodes the envelope: type, data and node_id as str", () => {
    expect(master.messages.map((m) => m.type)).toEqual([
      "client_ready",
      "heartbeat",
      "spawning",
      "spawning_complete",
      "exception",
      "logs",
      "stats",
      "stats",
      "stats",
      "stats",
      "stats",
    ]);
    for (const m of master.messages) expect(m).toMatchObject({ node_id: NODE, node_id_type: "str" });
  });

  test("reads client_ready as the integer -1 and the data-less messages as None", () => {
    expect(master.messages[0]).toMatchObject({ data: -1, data_type: "int" });
    expect(master.messages[2]).toMatchObject({ data: null, data_type: "NoneType" });
  });

  test("reads the heartbeat with a float cpu and an int memory", () => {
    expect(master.messages[1]).toMatchObject({
      data: { state: "running", current_cpu_usage: 12.5, current_memory_usage: 5_000_000_000 },
      value_types: { state: "str", current_cpu_usage: "float", current_memory_usage: "int" },
    });
  });

  test("reads spawning_complete, exception and logs", () => {
    expect(master.messages[3]).toMatchObject({ data: { user_classes_count: { Alpha: 3, Beta: 0 }, user_count: 3 } });
    expect(master.messages[4]).toMatchObject({ data: { msg: "boom", traceback: "Error: boom\n    at task" } });
    expect(master.messages[5]).toMatchObject({ data: { worker_id: NODE, logs: ["started", "é"] } });
  });

  test("finds user_classes_count in every stats report", () => {
    for (const m of master.messages.filter((m) => m.type === "stats")) {
      expect(m).toMatchObject({ user_classes_count: { Alpha: 3, Beta: 0 }, user_count: 3 });
      expect(m.keys).toEqual(["errors", "stats", "stats_total", "user_classes_count", "user_count"]);
    }
  });

  test("merges the deltas into the right counts, with integer keys", () => {
    const ok = entry("GET", "/ok");
    expect(ok).toMatchObject({
      num_requests: 45,
      num_failures: 0,
      total_content_length: 1500,
      min_response_time: 5.5,
      max_response_time: 3432,
    });
    expect(ok?.response_times).toEqual([
      [150, "int", 15],
      [3400, "int", 15],
      [6, "int", 15],
    ]);
    expect(ok?.num_reqs_per_sec).toHaveLength(15);
    for (const [second, type, count] of ok?.num_reqs_per_sec ?? []) {
      expect([Number.isInteger(second), type, count]).toEqual([true, "int", 3]);
    }
    expect(ok?.total_response_time).toBeCloseTo(15 * (5.5 + 147.3 + 3432), 6);
  });

  test("computes median, percentiles and average from our histogram", () => {
    expect(entry("GET", "/ok")).toMatchObject({ median_response_time: 150, p95: 3400, p99: 3400 });
    expect(entry("GET", "/ok")?.avg_response_time).toBeCloseTo((5.5 + 147.3 + 3432) / 3, 6);
    expect(entry("GET", "/none")).toMatchObject({ num_requests: 1, num_none_requests: 1, avg_response_time: 0, median_response_time: 0 });
  });

  test("counts failures as requests, per second too", () => {
    const bad = entry("POST", "/bad");
    expect(bad).toMatchObject({ num_requests: 15, num_failures: 15, fail_ratio: 1 });
    expect(bad?.num_fail_per_sec.map(([, type, count]) => [type, count])).toEqual(new Array(15).fill(["int", 1]));
  });

  test("derives current and total RPS from stats_total's timestamps", () => {
    // Window: [int(last) - 12, int(last) - 2) = 10 whole seconds of 3 GETs + 1 POST each.
    expect(entry("GET", "/ok")?.current_rps).toBe(3);
    expect(entry("POST", "/bad")).toMatchObject({ current_rps: 1, current_fail_per_sec: 1 });
    expect(master.total).toMatchObject({
      name: "Aggregated",
      method: "",
      num_requests: 61,
      num_none_requests: 1,
      num_failures: 15,
      current_rps: 4,
    });
    expect(master.total.start_time).toBe(E);
    expect(master.total.last_request_timestamp).toBeCloseTo(E + 14.9, 6);
    expect(master.total.total_rps).toBeCloseTo(61 / 14.9, 6);
    expect(master.total.median_response_time).toBe(150);
  });

  test("sums error occurrences under our key, keeping first and last seen", () => {
    expect(master.errors).toHaveLength(1);
    expect(master.errors[0]).toMatchObject({
      key: errorKey("POST", "/bad", "Error('boom')"),
      method: "POST",
      name: "/bad",
      error: "Error('boom')",
      occurrences: 15,
    });
    expect(master.errors[0]?.first_seen).toBeCloseTo(E + 0.9, 6);
    expect(master.errors[0]?.last_seen).toBeCloseTo(E + 14.9, 6);
  });

  test("prints its console summaries without an exception", () => {
    expect(master.summary.join("\n")).toContain("Aggregated");
    expect(master.summary.join("\n")).toContain("Error('boom')");
  });
});

describe("messages encoded by Locust's own Message.serialize()", () => {
  const locust = runLocustScript("locust_master_messages.py") as {
    frames: Record<string, string>;
    expect: { parsed_options: Record<string, unknown>; stop_timeout: number };
  };
  const decodeLabel = (label: string): MasterMessage => {
    const result = decodeMasterMessage(fromHex(locust.frames[label] ?? ""));
    if (!result.ok) throw new Error(`${label}: ${result.error}`);
    return result.message;
  };

  test("ack", () => {
    expect(decodeLabel("ack")).toEqual({ type: "ack", index: 2 });
  });

  test("spawn with the master's real parsed_options", () => {
    const spawn = decodeLabel("spawn");
    expect(spawn).toMatchObject({
      type: "spawn",
      timestamp: 1795592059.3529203,
      userClassesCount: { Alpha: 3, Beta: 0 },
      host: "http://example.test",
      stopTimeout: 5,
    });
    if (spawn.type !== "spawn") throw new Error("not a spawn");
    expect(Object.keys(spawn.parsedOptions).length).toBeGreaterThan(40);
    expect(spawn.parsedOptions).toMatchObject({
      num_users: 4,
      spawn_rate: 2,
      headless: true,
      tags: ["a", "b"],
      host: "http://example.test",
    });
    expect(spawn.parsedOptions).toEqual(locust.expect.parsed_options);
  });

  test("spawn as a library master or 2.12.1 sends it: no host, stop_timeout None, parsed_options {}", () => {
    expect(decodeLabel("spawn_bare")).toEqual({
      type: "spawn",
      timestamp: 1795592060.5,
      userClassesCount: { Alpha: 1 },
      host: null,
      stopTimeout: 0,
      parsedOptions: {},
    });
  });

  test("spawning_complete, heartbeat with None, stop, quit, reconnect", () => {
    expect(decodeLabel("spawning_complete")).toEqual({ type: "spawning_complete", userCount: 4 });
    for (const type of ["heartbeat", "stop", "quit", "reconnect"] as const) expect(decodeLabel(type)).toEqual({ type });
  });

  test("update_user_class", () => {
    expect(decodeLabel("update_user_class")).toEqual({
      type: "update_user_class",
      userClassName: "Beta",
      host: "http://beta.invalid",
      weight: 5,
      fixedCount: 0,
      tasks: ["t"],
    });
  });

  test("a custom message", () => {
    expect(decodeLabel("custom")).toEqual({ type: "custom", name: "my_custom", data: { answer: 42, nested: [1, "two", null] } });
  });
});
