// OpenTelemetry out, received by a real OpenTelemetry Collector (core v0.165.0, built from the Go
// module proxy by scripts/lib/otelcol.sh): the worker binary (examples/otel compiled in) under a
// real Locust 2.47 master started with --otel, which reaches the worker in parsed_options, and
// `run --otel` from the same binary, and from the sources under Deno (spans posted by fetch; gzip in
// the master's case), and into a collector behind mutual TLS (the certificate variables; Bun and
// Deno). What the collector forwarded is checked against the master's totals (the histogram's
// counts by name and error.type), against what the target saw (one traceparent per sampled
// request, none when sampling is off), and for logs and the users gauge.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { masterComplaints } from "../support/master.ts";
import {
  type Collector,
  type TraceTarget,
  attributesOf,
  durationCounts,
  logBodies,
  pointsOf,
  quiet,
  spansOf,
  startCollector,
  traceTarget,
} from "../support/otelcol.ts";
import { expectServedCutOff, run, summaryCounts } from "../support/run-cli.ts";
import { waitFor, within } from "../support/wait.ts";
import { example, masterPyOf } from "../support/examples.ts";
import { selfSignedCert } from "../support/nginx.ts";
import { tempDir } from "../support/procs.ts";

const e2e = useE2e({ tasks: "examples/otel", server: false, stop: "each" });
let collector: Collector;
let target: TraceTarget;
beforeAll(async () => {
  collector = await startCollector();
  target = await traceTarget();
});
afterAll(async () => {
  await collector?.close();
  await target?.close();
});
// What the collector got before this test (the last run's late exports included) is not this test's.
const fresh = async () => {
  await quiet(collector);
  for (const list of Object.values(collector.received)) list.length = 0;
  target.seen.length = 0;
};
const otelEnv = (extra: Record<string, string> = {}) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
  OTEL_METRIC_EXPORT_INTERVAL: "1000",
  ...extra,
});
const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
// A request cut off by the run's end (expectServedCutOff) still has its span: it ends as failed.

describe("OpenTelemetry into a real collector", () => {
  test("a master with --otel, gzip asked: the worker's histogram matches the master's totals, each request has a span and sent its traceparent", async () => {
    await fresh();
    const master = await e2e.headlessMaster({
      locustfile: masterPyOf("otel"),
      users: 4,
      spawnRate: 4,
      runTime: "5s",
      host: target.url,
      extra: ["--otel", "--exit-code-on-error", "0"], // checkout fails on purpose
    });
    // Every signal gzip-compressed: the spans by our fetch transport, metrics and logs by the SDK's.
    const worker = e2e.worker(["--master-host", "127.0.0.1", "--master-port", String(master.port)], {
      env: otelEnv({ OTEL_EXPORTER_OTLP_COMPRESSION: "gzip" }),
    });
    const result = await master.result();
    expect(await within(worker.exited, 30_000, "the worker to exit")).toBe(0);
    expect(masterComplaints(result.log)).toEqual([]);
    expect(result.code).toBe(0);
    expect(worker.output()).toContain("OpenTelemetry enabled: metrics (http/protobuf), traces (http/protobuf), logs (http/protobuf)");

    const requests = result.aggregated.requests;
    expect(requests).toBeGreaterThan(20);
    await waitFor(
      () => (total(durationCounts(collector)) === requests ? true : undefined),
      20_000,
      "the histogram to reach the master's total",
    );
    const counts = durationCounts(collector);
    for (const row of result.rows) {
      const ok = counts.get(row.name) ?? 0;
      const failed = counts.get(`${row.name}|HTTPError`) ?? 0;
      expect({ name: row.name, requests: ok + failed, failures: failed }).toEqual({
        name: row.name,
        requests: row.requests,
        failures: row.failures,
      });
    }
    expect(counts.get("checkout|HTTPError")).toBeGreaterThan(0); // /status/503, a failure as Python workers type it
    const point = pointsOf(collector, "locust.client.duration")[0];
    expect(point?.point.unit).toBe("s");
    expect(point?.resource["service.name"]).toBe("locust");
    expect(pointsOf(collector, "locust.users.count")).toEqual([]); // a worker leaves the user count to the master, as Locust's

    // Every request carried a traceparent, and each is the span the collector got.
    expectServedCutOff(target.seen.length, requests, 4);
    expect(target.seen.filter((r) => r.traceparent === undefined)).toEqual([]);
    await waitFor(() => (spansOf(collector).length >= target.seen.length ? true : undefined), 20_000, "every span");
    const spans = spansOf(collector);
    expect(spans.length).toBe(target.seen.length);
    const ids = new Set(spans.map((s) => `${s.traceId}-${s.spanId}`));
    for (const { traceparent } of target.seen) {
      const match = TRACEPARENT.exec(traceparent as string);
      expect(match !== null && ids.has(`${match[1]}-${match[2]}`)).toBe(true);
    }
    const names = new Set(spans.map((s) => s.name));
    expect([...names].sort()).toEqual(["GET /api/items", "GET /api/items/[id]", "GET checkout", "POST /login"]);
    const failedSpan = spans.find((s) => s.name === "GET checkout");
    expect(attributesOf(failedSpan.attributes)).toMatchObject({
      "http.request.method": "GET",
      "http.response.status_code": 503,
      "error.type": "503",
    });
    expect(failedSpan.kind).toBe(3); // CLIENT

    await waitFor(() => (logBodies(collector).some((l) => l.startsWith("users now")) ? true : undefined), 20_000, "the worker's log lines");
  }, 180_000);

  test("an endpoint where nothing listens: each kind of failure is said once with what to do, the repeats counted, the SDK's metric timeouts too", async () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9",
      OTEL_METRIC_EXPORT_INTERVAL: "300",
      OTEL_TRACES_EXPORTER: "none",
      OTEL_LOGS_EXPORTER: "none",
    };
    const { code, stderr } = await run(e2e.binary, ["--otel", "-u", "1", "-r", "1", "-t", "3s", "--host", target.url], env);
    expect(code).toBe(0);
    const lines = stderr.split("\n").filter((l) => l.includes("OpenTelemetry:"));
    const timeouts = lines.filter((l) => l.includes("metrics export timed out") && !l.includes("more export"));
    expect(timeouts).toHaveLength(1); // one a kind, not one per 300 ms interval
    expect(timeouts[0]).toContain("check OTEL_EXPORTER_OTLP_ENDPOINT");
    expect(lines.some((l) => /\d+ more exports? failed/.test(l))).toBe(true);
  }, 60_000);

  test("run --otel shorter than the metric export interval: its one gauge point is the users running when the run ended", async () => {
    await fresh();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_TRACES_SAMPLER: "always_off" }; // the default 60 s interval
    const { code, stderr } = await run(e2e.binary, ["--otel", "-u", "3", "-r", "3", "-t", "3s", "--host", target.url], env);
    expect(code).toBe(0);
    expect(stderr).toContain("OpenTelemetry enabled: metrics (http/protobuf)");
    await waitFor(() => (pointsOf(collector, "locust.users.count").length > 0 ? true : undefined), 20_000, "the gauge");
    const users = pointsOf(collector, "locust.users.count");
    expect(users.map((u) => [attributesOf(u.point.attributes), Number(u.point.asInt ?? u.point.asDouble)])).toEqual([
      [{ user_class: "Shopper" }, 3],
    ]);
  }, 60_000);

  test("run --otel over http/json, sampling half the traces: the histogram matches the summary, the gauge counts the users, spans = traceparents sent", async () => {
    await fresh();
    const env = otelEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.5" });
    const { code, stdout, stderr } = await run(e2e.binary, ["--otel", "-u", "3", "-r", "3", "-t", "4s", "--host", target.url], env);
    expect(code).toBe(0);
    expect(stderr).toContain("OpenTelemetry enabled: metrics (http/json), traces (http/json), logs (http/json)");
    const summary = summaryCounts(stdout);
    const requests = summary.get("Aggregated") as number;
    await waitFor(
      () => (total(durationCounts(collector)) === requests ? true : undefined),
      20_000,
      "the histogram to reach the summary's total",
    );
    const counts = durationCounts(collector);
    expect((counts.get("/api/items") ?? 0) + (counts.get("/api/items|HTTPError") ?? 0)).toBe(summary.get("GET /api/items") as number);
    expect(counts.get("checkout|HTTPError")).toBe(summary.get("GET checkout") as number);
    const users = pointsOf(collector, "locust.users.count");
    expect(users.length).toBeGreaterThan(0);
    expect(Math.max(...users.map((u) => Number(u.point.asInt ?? u.point.asDouble)))).toBe(3);
    expect(attributesOf(users[0]?.point.attributes)).toEqual({ user_class: "Shopper" });

    const sent = target.seen.filter((r) => r.traceparent !== undefined).length;
    expectServedCutOff(target.seen.length, requests, 3);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(requests);
    await waitFor(() => (spansOf(collector).length >= sent ? true : undefined), 20_000, "the sampled spans");
    expect(spansOf(collector).length).toBe(sent);
  }, 120_000);

  test("under Deno, run --otel from the sources: every request has a span, posted by fetch into the collector, and the histogram matches the summary", async () => {
    await fresh();
    const args = ["--tasks", example("otel"), "--otel", "-u", "2", "-r", "2", "-t", "3s", "--host", target.url];
    const { code, stdout, stderr } = await run({ kind: "deno" }, args, otelEnv({ LOADWORKER_TASKS_DIR: example("otel") }));
    expect(code).toBe(0);
    expect(stderr).toContain("OpenTelemetry enabled: metrics (http/protobuf), traces (http/protobuf), logs (http/protobuf)");
    const requests = summaryCounts(stdout).get("Aggregated") as number;
    await waitFor(() => (total(durationCounts(collector)) === requests ? true : undefined), 20_000, "the histogram");
    expectServedCutOff(target.seen.length, requests, 2);
    const sent = target.seen.filter((r) => r.traceparent !== undefined).length;
    expect(sent).toBe(target.seen.length);
    await waitFor(() => (spansOf(collector).length >= sent ? true : undefined), 20_000, "a span per request");
    expect(spansOf(collector).length).toBe(sent);
  }, 120_000);

  test("run --otel with OTEL_TRACES_SAMPLER=always_off: no traceparent, no span, the histogram still counts", async () => {
    await fresh();
    const env = otelEnv({ OTEL_TRACES_SAMPLER: "always_off" });
    const { code, stdout } = await run(e2e.binary, ["--otel", "-u", "2", "-r", "2", "-t", "2s", "--host", target.url], env);
    expect(code).toBe(0);
    const requests = summaryCounts(stdout).get("Aggregated") as number;
    await waitFor(() => (total(durationCounts(collector)) === requests ? true : undefined), 20_000, "the histogram");
    expectServedCutOff(target.seen.length, requests, 2);
    expect(target.seen.filter((r) => r.traceparent !== undefined)).toEqual([]);
    expect(spansOf(collector)).toEqual([]);
  }, 120_000);

  test("without --otel nothing is exported and no traceparent is sent, whatever OTEL_* says", async () => {
    await fresh();
    const { code, stderr } = await run(e2e.binary, ["-u", "2", "-r", "2", "-t", "2s", "--host", target.url], otelEnv());
    expect(code).toBe(0);
    expect(stderr).not.toContain("OpenTelemetry");
    expect(target.seen.length).toBeGreaterThan(0);
    expect(target.seen.filter((r) => r.traceparent !== undefined)).toEqual([]);
    await Bun.sleep(1_500); // an export would have come within the interval
    expect(collector.received).toEqual({ metrics: [], traces: [], logs: [] });
  }, 120_000);
});

describe("OpenTelemetry into a real collector behind mutual TLS", () => {
  let secure: Collector;
  const server = selfSignedCert(tempDir("otelcol-tls")); // for 127.0.0.1
  const client = selfSignedCert(tempDir("otelcol-tls-client")); // its own CA: the collector trusts it as one
  beforeAll(async () => {
    secure = await startCollector({ ...server, clientCa: client.cert });
  });
  const freshBoth = async () => {
    await fresh();
    await quiet(secure);
    for (const list of Object.values(secure.received)) list.length = 0;
  };
  afterAll(async () => {
    await secure?.close();
  });

  const trusted = (extra: Record<string, string> = {}) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: secure.endpoint,
    OTEL_EXPORTER_OTLP_CERTIFICATE: server.cert,
    OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: client.cert,
    OTEL_EXPORTER_OTLP_CLIENT_KEY: client.key,
    OTEL_METRIC_EXPORT_INTERVAL: "1000",
    ...extra,
  });
  // A run's every request counted by the histogram, a span for each, and some logs, all over TLS.
  const expectAllOverTls = async (stdout: string) => {
    const requests = summaryCounts(stdout).get("Aggregated") as number;
    await waitFor(() => (total(durationCounts(secure)) === requests ? true : undefined), 20_000, "the histogram over TLS");
    const sent = target.seen.filter((r) => r.traceparent !== undefined).length;
    expect(sent).toBe(target.seen.length);
    await waitFor(() => (spansOf(secure).length >= sent ? true : undefined), 20_000, "a span per request over TLS");
    expect(spansOf(secure).length).toBe(sent);
    expect(logBodies(secure).length).toBeGreaterThan(0);
  };

  test("run --otel with the certificate variables: every span (by fetch), the histogram and the logs (by the SDK's transport) arrive", async () => {
    await freshBoth();
    const { code, stdout, stderr } = await run(e2e.binary, ["--otel", "-u", "2", "-r", "2", "-t", "3s", "--host", target.url], trusted());
    expect(code).toBe(0);
    expect(stderr).not.toContain("cannot read");
    await expectAllOverTls(stdout);
    expect(collector.received).toEqual({ metrics: [], traces: [], logs: [] }); // nothing went to the plain one
  }, 120_000);

  test("under Deno, the same from the sources: every span, the histogram and the logs arrive by the SDK's node:https", async () => {
    // Deno's fetch (rustls) refuses a self-signed certificate given as its own CA (CaUsedAsEndEntity),
    // which node:https under Deno accepts, as Bun's fetch and Node do: so under Deno https: stays with
    // the SDK's transport (platform/fetch-tls.ts).
    await freshBoth();
    const args = ["--tasks", example("otel"), "--otel", "-u", "2", "-r", "2", "-t", "3s", "--host", target.url];
    const { code, stdout, stderr } = await run({ kind: "deno" }, args, trusted({ LOADWORKER_TASKS_DIR: example("otel") }));
    expect(code).toBe(0);
    expect(stderr).not.toContain("OpenTelemetry:"); // no export failed, no file unread
    await expectAllOverTls(stdout);
  }, 120_000);

  test("without the collector's CA every export fails: each kind said once, naming the variable to set, not once a batch", async () => {
    await freshBoth();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: secure.endpoint, OTEL_METRIC_EXPORT_INTERVAL: "500", OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "16" };
    const { code, stdout, stderr } = await run(e2e.binary, ["--otel", "-u", "2", "-r", "2", "-t", "3s", "--host", target.url], env);
    expect(code).toBe(0);
    expect(summaryCounts(stdout).get("Aggregated")).toBeGreaterThan(64); // more than 4 batches of spans failed
    const lines = stderr.split("\n").filter((line) => line.includes("OpenTelemetry:") && line.includes("fail"));
    const spans = lines.filter((line) => /exporting \d+ spans failed/.test(line) && !line.includes("more export"));
    expect(spans).toHaveLength(1);
    expect(spans[0]).toContain("OTEL_EXPORTER_OTLP_CERTIFICATE");
    expect(lines.some((line) => line.includes("metrics export failed"))).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(6); // spans, metrics, logs, and their counts at shutdown
    expect(stderr).not.toContain('"stack"');
    expect(secure.received).toEqual({ metrics: [], traces: [], logs: [] });
  }, 120_000);
});
