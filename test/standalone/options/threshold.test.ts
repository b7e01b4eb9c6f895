import { describe, expect, test } from "bun:test";
import { createStats } from "../../../src/stats/index.ts";
import { Accumulator } from "../../../src/standalone/merge/accumulator.ts";
import { breached, checkThresholds } from "../../../src/standalone/merge/threshold-check.ts";
import { type Threshold, parseThreshold } from "../../../src/standalone/options/threshold.ts";
import { FakeClock } from "../../support/fake-clock.ts";

function parsed(text: string): Threshold {
  const result = parseThreshold(text);
  if (!result.ok) throw new Error(result.error);
  return result.threshold;
}

describe("parseThreshold", () => {
  test.each([
    ["p95<500", { kind: "percentile", percent: 0.95 }, "<", 500],
    ["fail_ratio<0.01", { kind: "fail_ratio" }, "<", 0.01],
    ["rps>1000", { kind: "rps" }, ">", 1000],
    ["avg<200", { kind: "avg" }, "<", 200],
    ["max<2000", { kind: "max" }, "<", 2000],
    ["failures==0", { kind: "failures" }, "==", 0],
    ["requests >= 10", { kind: "requests" }, ">=", 10],
    ["min!=0", { kind: "min" }, "!=", 0],
    ["median<=1e3", { kind: "median" }, "<=", 1000],
    ["p99.9<800", { kind: "percentile", percent: 0.999 }, "<", 800],
    ["p99.99<800", { kind: "percentile", percent: 0.9999 }, "<", 800],
    ["p100<5000", { kind: "percentile", percent: 1 }, "<", 5000],
    ["p5<5", { kind: "percentile", percent: 0.05 }, "<", 5],
  ])("reads %p", (text, metric, operator, value) => {
    const t = parsed(text);
    expect(t.metric).toEqual(metric as Threshold["metric"]);
    expect(t.operator).toBe(operator as Threshold["operator"]);
    expect(t.value).toBe(value);
    expect(t.selectors).toEqual([{ kind: "total" }]);
  });

  test("p99.9 is exactly Locust's 0.999, not 99.9 / 100", () => {
    expect(parsed("p99.9<1").metric).toEqual({ kind: "percentile", percent: 0.999 });
    expect(99.9 / 100).not.toBe(0.999);
  });

  test("reads a NAME: prefix, CJK included, and a colon inside the name", () => {
    expect(parsed("压测HttpBin:p99<800").selectors).toEqual([{ kind: "name", name: "压测HttpBin", method: null }]);
    expect(parsed("http://x:8080/a:avg<5").selectors).toEqual([{ kind: "name", name: "http://x:8080/a", method: null }]);
  });

  test("reads METHOD NAME: as that method first, then as a name with a space", () => {
    expect(parsed("GET /cart:max<2000").selectors).toEqual([
      { kind: "name", name: "/cart", method: "GET" },
      { kind: "name", name: "GET /cart", method: null },
    ]);
  });

  test("a method is any request type Locust records, not only HTTP's: gRPC, WebSocket, custom", () => {
    expect(parsed("gRPC /helloworld.Greeter/SayHello:fail_ratio<0.5").selectors[0]).toEqual({
      kind: "name",
      name: "/helloworld.Greeter/SayHello",
      method: "gRPC",
    });
    expect(parsed("WebSocket connect:p95<100").selectors[0]).toMatchObject({ name: "connect", method: "WebSocket" });
  });

  test.each([
    ["p95", "expected [NAME:]METRIC OPERATOR NUMBER"],
    ["p95<", "'' is not a number"],
    ["p95<fast", "'fast' is not a number"],
    ["p95=5", "use '=='"],
    ["latency<5", "unknown metric 'latency'; metrics: requests, failures, fail_ratio, rps"],
    ["p0<5", "unknown metric 'p0'"],
    ["p101<5", "unknown metric 'p101'"],
    [":p95<5", "the name before ':' is empty"],
    ["p95<<5", "'<5' is not a number"],
    // k6's spellings get the one to write here.
    ["p(95)<500", "k6's p(95) is written p95 here, e.g. p95<500"],
    ["GET /cart:p(99.9)<800", "k6's p(99.9) is written p99.9 here"],
    ["p95 < 500ms", "'500ms' is not a number (times are in ms, without a unit: p95<500)"],
    ["avg<1.5s", "'1.5s' is not a number (times are in ms, without a unit: avg<1500)"],
    ["fail_ratio<1.1%", "'1.1%' is not a number (a ratio, not a percentage: fail_ratio<0.011)"],
  ])("rejects %p with a message that says what to write", (text, message) => {
    const result = parseThreshold(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(message);
      expect(result.error).toStartWith(`threshold '${text}'`);
    }
  });
});

describe("checkThresholds", () => {
  // GET /a: 1..100 ms (p95 = 96 from Locust's buckets); POST /a: 10 × 500 ms, 2 failed;
  // 压测HttpBin: 4 × 50 ms; everything within 10 s.
  function run(): Accumulator {
    const clock = new FakeClock(1_700_000_000);
    const stats = createStats(clock);
    const acc = new Accumulator(clock.epoch());
    for (let ms = 1; ms <= 100; ms++) {
      clock.advance(0.05);
      stats.recorder.success("GET", "/a", ms, 10);
    }
    for (let i = 0; i < 10; i++) {
      clock.advance(0.05);
      if (i < 2) stats.recorder.failure("POST", "/a", 500, "HTTP 503");
      else stats.recorder.success("POST", "/a", 500, 10);
    }
    for (let i = 0; i < 4; i++) stats.recorder.success("GET", "压测HttpBin", 50, 10);
    clock.advance(4);
    acc.merge(stats.report({}, 1), clock.epoch());
    return acc;
  }

  const check = (...texts: string[]) => checkThresholds(run(), texts.map(parsed));

  test("measures the Aggregated total without a name", () => {
    const [requests, failures, ratio] = check("requests==114", "failures==2", "fail_ratio<0.01");
    expect(requests).toMatchObject({ status: "passed", measured: 114, subject: "Aggregated" });
    expect(failures).toMatchObject({ status: "passed", measured: 2 });
    expect(ratio).toMatchObject({ status: "failed", measured: 2 / 114 });
  });

  test("reads percentiles from Locust's buckets", () => {
    const [p95, p100, max] = check("GET /a:p95<=96", "GET /a:p100==100", "max<500");
    expect(p95).toMatchObject({ status: "passed", measured: 96, subject: "GET /a" });
    expect(p100).toMatchObject({ status: "passed", measured: 100 });
    expect(max).toMatchObject({ status: "failed", measured: 500 });
  });

  test("adds up every method under a bare name", () => {
    const [all] = check("/a:requests==110");
    expect(all).toMatchObject({ status: "passed", measured: 110, subject: "/a (GET, POST)" });
  });

  test("matches a CJK name", () => {
    expect(check("压测HttpBin:avg<51")[0]).toMatchObject({ status: "passed", measured: 50 });
  });

  test("reports a name that recorded nothing as no data, and counts it as a breach", () => {
    const results = check("DELETE /a:p95<500", "/nothing:failures==0");
    expect(results.map((r) => r.status)).toEqual(["no-data", "no-data"]);
    expect(results.map((r) => r.subject)).toEqual(["DELETE /a", "/nothing"]);
    expect(breached(results)).toBe(true);
  });

  test("counts the whole run's rps (requests from the first start to the last request)", () => {
    const [rps] = check("rps>10");
    expect(rps?.measured).toBeCloseTo(114 / 5.5, 3); // last request 5.5 s after the start;
  });

  test("passes when every threshold holds", () => {
    expect(breached(check("failures<3", "p95<600"))).toBe(false);
  });
});
