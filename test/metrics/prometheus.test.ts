import { describe, expect, test } from "bun:test";
import { formatPrometheus } from "../../src/metrics/prometheus.ts";
import { Totals } from "../../src/metrics/totals.ts";
import type { StatsEntryReport, StatsReport } from "../../src/stats/index.ts";
import { parseWithPrometheusClient } from "../support/prometheus.ts";

function entry(method: string, name: string, times: Array<[number, number]>, failures = 0): StatsEntryReport {
  const count = times.reduce((n, [, c]) => n + c, 0);
  return {
    name,
    method,
    last_request_timestamp: 1,
    start_time: 0,
    num_requests: count,
    num_none_requests: 0,
    num_failures: failures,
    total_response_time: times.reduce((s, [ms, c]) => s + ms * c, 0),
    max_response_time: 0,
    min_response_time: null,
    total_content_length: 0,
    response_times: new Map(times),
    num_reqs_per_sec: new Map(),
    num_fail_per_sec: new Map(),
  };
}

const report = (stats: StatsEntryReport[]): StatsReport => ({
  stats,
  stats_total: entry("", "Aggregated", []),
  errors: {},
  user_classes_count: {},
  user_count: 0,
});

describe("/metrics text", () => {
  const totals = new Totals();
  totals.add(
    report([
      entry(
        "GET",
        "/a",
        [
          [3, 2],
          [40, 1],
        ],
        1,
      ),
      entry("POST", 'say "hi"\\\n', [[1200, 1]]),
    ]),
  );
  totals.add(
    report([
      entry("GET", "/a", [
        [3, 1],
        [70_000, 1],
      ]),
    ]),
  );
  const text = formatPrometheus({
    requests: totals.entries(),
    users: { ShopUser: 3, DefaultUser: 1 },
    exceptions: 2,
    cpuSeconds: 1.5,
    residentBytes: 1234,
    openConnections: 7,
  });
  const families = parseWithPrometheusClient(text);
  const sample = (family: string, name: string, labels: Record<string, string>) =>
    families
      .find((f) => f.name === family)
      ?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  test("requests and failures are counters summed over reports, per (method, name)", () => {
    expect(families.find((f) => f.name === "loadworker_requests")?.type).toBe("counter");
    expect(sample("loadworker_requests", "loadworker_requests_total", { method: "GET", name: "/a" })).toBe(5);
    expect(sample("loadworker_failures", "loadworker_failures_total", { method: "GET", name: "/a" })).toBe(1);
  });

  test("label values with quotes, backslashes and newlines survive the parser", () => {
    expect(sample("loadworker_requests", "loadworker_requests_total", { method: "POST", name: 'say "hi"\\\n' })).toBe(1);
  });

  test("the response-time histogram is cumulative, in seconds, from Locust's buckets", () => {
    const bucket = (le: string) =>
      sample("loadworker_response_time_seconds", "loadworker_response_time_seconds_bucket", { method: "GET", name: "/a", le });
    expect(bucket("0.005")).toBe(3);
    expect(bucket("0.05")).toBe(4);
    expect(bucket("60")).toBe(4);
    expect(bucket("+Inf")).toBe(5);
    expect(sample("loadworker_response_time_seconds", "loadworker_response_time_seconds_count", { method: "GET", name: "/a" })).toBe(5);
    expect(sample("loadworker_response_time_seconds", "loadworker_response_time_seconds_sum", { method: "GET", name: "/a" })).toBeCloseTo(
      (3 * 3 + 40 + 70_000) / 1000,
      9,
    );
  });

  test("users per class, exceptions, connections, CPU and memory", () => {
    expect(sample("loadworker_users", "loadworker_users", { user_class: "ShopUser" })).toBe(3);
    expect(sample("loadworker_exceptions", "loadworker_exceptions_total", {})).toBe(2);
    expect(sample("loadworker_open_connections", "loadworker_open_connections", {})).toBe(7);
    expect(sample("process_cpu_seconds", "process_cpu_seconds_total", {})).toBe(1.5);
    expect(sample("process_resident_memory_bytes", "process_resident_memory_bytes", {})).toBe(1234);
  });
});
