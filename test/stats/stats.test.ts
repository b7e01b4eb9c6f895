import { beforeEach, describe, expect, test } from "bun:test";
import { errorKey } from "../../src/stats/errors.ts";
import { createStats, type Stats } from "../../src/stats/stats.ts";
import { FakeClock } from "../support/fake-clock.ts";

const T0 = 1_795_592_059.25; // an epoch with a fractional part, so truncation shows

let clock: FakeClock;
let stats: Stats;

beforeEach(() => {
  clock = new FakeClock(T0);
  stats = createStats(clock);
});

describe("a successful request", () => {
  test("is counted in its (name, method) entry and in the Aggregated total", () => {
    clock.advance(0.5);
    stats.recorder.success("GET", "/ok", 147.3, 120);
    const report = stats.report({ Alpha: 1 }, 1);
    expect(report.stats).toHaveLength(1);
    for (const entry of [report.stats[0], report.stats_total]) {
      expect(entry).toMatchObject({
        last_request_timestamp: T0 + 0.5,
        num_requests: 1,
        num_none_requests: 0,
        num_failures: 0,
        total_response_time: 147.3,
        max_response_time: 147.3,
        min_response_time: 147.3,
        total_content_length: 120,
      });
      expect([...(entry?.response_times ?? [])]).toEqual([[150, 1]]);
      expect([...(entry?.num_reqs_per_sec ?? [])]).toEqual([[1_795_592_059, 1]]);
      expect(entry?.num_fail_per_sec.size).toBe(0);
    }
    // The entry was created by this request; the total exists since createStats.
    expect(report.stats[0]).toMatchObject({ name: "/ok", method: "GET", start_time: T0 + 0.5 });
    expect(report.stats_total).toMatchObject({ name: "Aggregated", method: "", start_time: T0 });
    expect(report.user_classes_count).toEqual({ Alpha: 1 });
    expect(report.user_count).toBe(1);
  });

  test("keeps float milliseconds and the min and max across requests", () => {
    stats.recorder.success("GET", "/a", 5.5, 0);
    stats.recorder.success("GET", "/a", 3432, 0);
    stats.recorder.success("GET", "/a", 0.2, 0);
    const [entry] = stats.report({}, 0).stats;
    expect(entry).toMatchObject({ total_response_time: 3437.7, min_response_time: 0.2, max_response_time: 3432 });
    expect([...(entry?.response_times ?? [])].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1],
      [6, 1],
      [3400, 1],
    ]);
  });

  test("keys requests per second by the truncated epoch", () => {
    clock.set(1000.999);
    stats.recorder.success("GET", "/a", 1, 0);
    clock.set(1001.0);
    stats.recorder.success("GET", "/a", 1, 0);
    stats.recorder.success("GET", "/a", 1, 0);
    const total = stats.report({}, 0).stats_total;
    expect([...total.num_reqs_per_sec]).toEqual([
      [1000, 1],
      [1001, 2],
    ]);
  });

  test("counts a second that comes back (the wall clock stepped back) into the same key, and keeps every bucket", () => {
    for (const [epoch, ms] of [
      [1000.2, 3],
      [1001.5, 99.5],
      [1000.9, 3],
      [1001.1, 250],
    ] as const) {
      clock.set(epoch);
      stats.recorder.success("GET", "/a", ms, 0);
    }
    const total = stats.report({}, 0).stats_total;
    expect(new Map(total.num_reqs_per_sec)).toEqual(
      new Map([
        [1000, 2],
        [1001, 2],
      ]),
    );
    expect(new Map(total.response_times)).toEqual(
      new Map([
        [3, 2],
        [100, 1],
        [250, 1],
      ]),
    );
    clock.set(1002.5);
    stats.recorder.success("GET", "/a", 3, 0);
    const next = stats.report({}, 0).stats_total;
    expect([...next.num_reqs_per_sec]).toEqual([[1002, 1]]);
    expect([...next.response_times]).toEqual([[3, 1]]);
  });

  test("gets one entry per method and name", () => {
    stats.recorder.success("GET", "/a", 1, 0);
    stats.recorder.success("POST", "/a", 1, 0);
    stats.recorder.success("GET", "/b", 1, 0);
    stats.recorder.success("GET", "/a", 1, 0);
    const report = stats.report({}, 0);
    expect(report.stats.map((e) => [e.method, e.name, e.num_requests])).toEqual([
      ["GET", "/a", 2],
      ["POST", "/a", 1],
      ["GET", "/b", 1],
    ]);
    expect(report.stats_total.num_requests).toBe(4);
  });

  test("with no usable timing counts as Locust's None response time", () => {
    stats.recorder.success("GET", "/a", Number.NaN, 10);
    stats.recorder.success("GET", "/a", Number.POSITIVE_INFINITY, 10);
    stats.recorder.success("GET", "/a", -3, -5);
    const [entry] = stats.report({}, 0).stats;
    expect(entry).toMatchObject({
      num_requests: 3,
      num_none_requests: 2,
      total_response_time: 0,
      min_response_time: 0,
      total_content_length: 20,
    });
    expect([...(entry?.response_times ?? [])]).toEqual([[0, 1]]);
  });

  test("can be recorded through detached recorder methods", () => {
    const { success, failure } = stats.recorder;
    success("GET", "/a", 1, 0);
    failure("GET", "/a", 1, "x");
    expect(stats.report({}, 0).stats_total.num_requests).toBe(2);
  });
});

describe("a failed request", () => {
  test("counts as a request and as a failure, in the entry and the total", () => {
    clock.advance(1);
    stats.recorder.failure("POST", "/bad", 12.5, new Error("boom"));
    const report = stats.report({}, 0);
    for (const entry of [report.stats[0], report.stats_total]) {
      expect(entry).toMatchObject({ num_requests: 1, num_failures: 1, total_response_time: 12.5, total_content_length: 0 });
      expect([...(entry?.num_reqs_per_sec ?? [])]).toEqual([[1_795_592_060, 1]]);
      expect([...(entry?.num_fail_per_sec ?? [])]).toEqual([[1_795_592_060, 1]]);
      expect([...(entry?.response_times ?? [])]).toEqual([[12, 1]]);
    }
  });

  test("counts the length of a response that came back, as Locust does for a 500 page", () => {
    stats.recorder.failure("GET", "/500", 3, "HTTPError('500 Server Error')", 321);
    const report = stats.report({}, 0);
    expect(report.stats[0]?.total_content_length).toBe(321);
    expect(report.stats_total.total_content_length).toBe(321);
  });

  test("lands in errors under Locust's key, with occurrences and first/last seen", () => {
    stats.recorder.failure("POST", "/bad", 1, new Error("boom"));
    clock.advance(2);
    stats.recorder.failure("POST", "/bad", 1, new Error("boom"));
    stats.recorder.failure("POST", "/bad", 1, "HTTP 500");
    const { errors } = stats.report({}, 0);
    expect(errors).toEqual({
      [errorKey("POST", "/bad", "Error('boom')")]: {
        name: "/bad",
        method: "POST",
        error: "Error('boom')",
        occurrences: 2,
        first_seen: T0,
        last_seen: T0 + 2,
      },
      [errorKey("POST", "/bad", "HTTP 500")]: {
        name: "/bad",
        method: "POST",
        error: "HTTP 500",
        occurrences: 1,
        first_seen: T0 + 2,
        last_seen: T0 + 2,
      },
    });
  });

  test("errors whose keys collide share one row, as in Locust's errors dict", () => {
    stats.recorder.failure("a.b", "c", 1, "x");
    stats.recorder.failure("a", "b.c", 1, "x");
    const rows = Object.values(stats.report({}, 0).errors);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.occurrences).toBe(2);
  });
});

describe("report", () => {
  test("sends deltas: everything resets after a report", () => {
    stats.recorder.success("GET", "/a", 10, 5);
    stats.recorder.failure("GET", "/a", 10, "x");
    clock.advance(3);
    stats.report({}, 0);
    clock.advance(3);
    const second = stats.report({}, 0);
    expect(second.stats).toEqual([]);
    expect(second.errors).toEqual({});
    expect(second.stats_total).toMatchObject({
      start_time: T0 + 3,
      last_request_timestamp: null,
      num_requests: 0,
      num_failures: 0,
      total_response_time: 0,
      max_response_time: 0,
      min_response_time: null,
      total_content_length: 0,
    });
    expect(second.stats_total.response_times.size + second.stats_total.num_reqs_per_sec.size).toBe(0);
  });

  test("counts error occurrences per interval, with first seen restarting", () => {
    stats.recorder.failure("GET", "/a", 1, "x");
    stats.recorder.failure("GET", "/a", 1, "x");
    clock.advance(3);
    stats.report({}, 0);
    clock.advance(1);
    stats.recorder.failure("GET", "/a", 1, "x");
    const [row] = Object.values(stats.report({}, 0).errors);
    expect(row).toMatchObject({ occurrences: 1, first_seen: T0 + 4, last_seen: T0 + 4 });
  });

  test("lists only entries with requests since the last report, but always the total", () => {
    stats.recorder.success("GET", "/a", 1, 0);
    stats.recorder.success("GET", "/b", 1, 0);
    stats.report({}, 0);
    stats.recorder.success("GET", "/b", 1, 0);
    const report = stats.report({}, 0);
    expect(report.stats.map((e) => e.name)).toEqual(["/b"]);
    expect(report.stats_total.num_requests).toBe(1);
  });

  test("gives an entry idle for several reports the last report's start time", () => {
    stats.recorder.success("GET", "/a", 1, 0);
    for (let i = 0; i < 4; i++) {
      clock.advance(3);
      stats.report({}, 0);
    }
    clock.advance(1);
    stats.recorder.success("GET", "/a", 1, 0);
    const [entry] = stats.report({}, 0).stats;
    expect(entry?.start_time).toBe(T0 + 12);
  });

  test("gives an entry created mid-interval its creation time, as Locust's constructor does", () => {
    clock.advance(3);
    stats.report({}, 0);
    clock.advance(1.5);
    stats.recorder.success("GET", "/new", 1, 0);
    const report = stats.report({}, 0);
    expect(report.stats[0]?.start_time).toBe(T0 + 4.5);
    expect(report.stats_total.start_time).toBe(T0 + 3);
  });

  test("copies user_classes_count so later changes by the caller do not leak in", () => {
    const counts: Record<string, number> = { Alpha: 2 };
    const report = stats.report(counts, 2);
    counts.Alpha = 5;
    expect(report.user_classes_count).toEqual({ Alpha: 2 });
  });
});

describe("clear", () => {
  test("drops entries and errors and restarts the interval now", () => {
    stats.recorder.success("GET", "/a", 1, 0);
    stats.recorder.failure("GET", "/a", 1, "x");
    clock.advance(7);
    stats.clear();
    const report = stats.report({}, 0);
    expect(report.stats).toEqual([]);
    expect(report.errors).toEqual({});
    expect(report.stats_total).toMatchObject({ start_time: T0 + 7, num_requests: 0 });
  });
});

describe("onNewEntry", () => {
  test("is told once per distinct (method, name), not per request, and again after clear", () => {
    const seen: string[] = [];
    const watched = createStats(new FakeClock(), { onNewEntry: (method, name) => void seen.push(`${method} ${name}`) });
    watched.recorder.success("GET", "/a", 1, 1);
    watched.recorder.success("GET", "/a", 1, 1);
    watched.recorder.failure("GET", "/a", 1, "boom");
    watched.recorder.success("POST", "/a", 1, 1);
    watched.report({}, 0);
    watched.recorder.success("GET", "/a", 1, 1);
    expect(seen).toEqual(["GET /a", "POST /a"]);
    watched.clear();
    watched.recorder.success("GET", "/a", 1, 1);
    expect(seen).toEqual(["GET /a", "POST /a", "GET /a"]);
  });
});
