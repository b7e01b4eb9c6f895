// The OTEL_* variables read as Locust 2.47 reads them (locust/opentelemetry.py), and what this
// worker cannot honour (gRPC, other exporters) said as a warning, not ignored silently.
import { describe, expect, test } from "bun:test";
import { otelRequested, otelSettings } from "../../src/otel/settings.ts";

describe("otelSettings", () => {
  test("by default every signal goes out over OTLP http/protobuf, service locust, parentbased_always_on, 60 s metrics", () => {
    expect(otelSettings({})).toEqual({
      traces: "http/protobuf",
      metrics: "http/protobuf",
      logs: "http/protobuf",
      sampler: "parentbased_always_on",
      ratio: 1,
      serviceName: "locust",
      metricIntervalMs: 60_000,
      metricTimeoutMs: 30_000,
      spanBatches: { queueSize: 2048, batchSize: 512, delayMs: 5000, timeoutMs: 30_000 },
      warnings: [],
    });
  });

  test("the batch span processor's OTEL_BSP_* variables bound the span queue; a bad one is a warning", () => {
    const s = otelSettings({
      OTEL_BSP_MAX_QUEUE_SIZE: "100",
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "10",
      OTEL_BSP_SCHEDULE_DELAY: "250",
      OTEL_BSP_EXPORT_TIMEOUT: "-1",
    });
    expect(s?.spanBatches).toEqual({ queueSize: 100, batchSize: 10, delayMs: 250, timeoutMs: 30_000 });
    expect(s?.warnings).toEqual(["OTEL_BSP_EXPORT_TIMEOUT=-1 is not a positive whole number of milliseconds; 30000 used"]);
  });

  test("every exporter 'none' turns it off (Locust: opentelemetry not enabled)", () => {
    expect(otelSettings({ OTEL_TRACES_EXPORTER: "none", OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: " None " })).toBeUndefined();
  });

  test("a signal's protocol wins over the general one; 'http' is http/protobuf as in Locust", () => {
    const s = otelSettings({ OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: "http" });
    expect([s?.traces, s?.metrics, s?.logs]).toEqual(["http/json", "http/json", "http/protobuf"]);
  });

  test("gRPC and unknown exporters are warnings, and the rest still goes out", () => {
    const s = otelSettings({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "grpc", OTEL_METRICS_EXPORTER: "otlp,prometheus" });
    expect(s?.traces).toBeUndefined();
    expect(s?.metrics).toBe("http/protobuf");
    expect(s?.warnings).toEqual([
      "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc: loadworker exports OTLP over HTTP (http/protobuf or http/json, the collector's port 4318); traces not exported",
      'OTEL_METRICS_EXPORTER=prometheus: loadworker exports with "otlp" only; prometheus ignored',
    ]);
  });

  test("an endpoint without its scheme exports nothing there, with one warning that says how to write it", () => {
    const s = otelSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "127.0.0.1:4318" });
    expect([s?.traces, s?.metrics, s?.logs]).toEqual([undefined, undefined, undefined]);
    expect(s?.warnings).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT=127.0.0.1:4318 is not an http:// or https:// URL: write it with its scheme, e.g. http://127.0.0.1:4318; not exported",
    ]);
    // A signal's own endpoint, when good, still goes out.
    const traces = otelSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces",
    });
    expect([traces?.traces, traces?.metrics]).toEqual(["http/protobuf", undefined]);
  });

  test("a base endpoint that ends in a signal's path is kept, with a warning that the exporters add it", () => {
    const s = otelSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318/v1/traces" });
    expect(s?.traces).toBe("http/protobuf");
    expect(s?.warnings).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318/v1/traces ends in /v1/traces: the exporters add /v1/<signal> to it; give the collector's base URL (http://127.0.0.1:4318) or set OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT",
    ]);
  });

  test("the sampler and its ratio; a bad one falls back with a warning", () => {
    expect(otelSettings({ OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.25" })).toMatchObject({
      sampler: "traceidratio",
      ratio: 0.25,
    });
    const bad = otelSettings({ OTEL_TRACES_SAMPLER: "sometimes", OTEL_METRIC_EXPORT_INTERVAL: "5s" });
    expect(bad).toMatchObject({ sampler: "parentbased_always_on", metricIntervalMs: 60_000 });
    expect(bad?.warnings.length).toBe(2);
    expect(otelSettings({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" })?.ratio).toBe(1);
  });

  test("OTEL_SERVICE_NAME names the service", () => {
    expect(otelSettings({ OTEL_SERVICE_NAME: "checkout-load" })?.serviceName).toBe("checkout-load");
  });
});

describe("otelRequested", () => {
  test("reads the master's parsed_options.otel (its --otel or LOCUST_ENABLE_OPENTELEMETRY)", () => {
    expect(otelRequested({ otel: true })).toBe(true);
    expect(otelRequested({ otel: false })).toBe(false);
    expect(otelRequested({})).toBe(false);
  });
});
