// A collector that refuses every export is said once per kind of failure, with what to do where
// the worker knows, and the repeats are counted into one line at most every 10 s and at
// shutdown: not one warning per batch (~80 a second at 1,000 users, every request a span).
import { describe, expect, test } from "bun:test";
import { ExportFailures } from "../../src/otel/export-failures.ts";
import { recordingLogger } from "../support/fakes.ts";

const selfSigned = Object.assign(new Error("self signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });

function failures() {
  const log = recordingLogger();
  let now = 0;
  const said = new ExportFailures(log, () => now, 10_000);
  return { said, warnings: () => log.lines.map((l) => l.message), at: (ms: number) => (now = ms) };
}

describe("ExportFailures", () => {
  test("says a failure once with what to do, counts the repeats, and says them when the window is over", () => {
    const { said, warnings, at } = failures();
    for (let i = 0; i < 80; i++) said.failed("512 spans", selfSigned);
    expect(warnings()).toEqual([
      "OpenTelemetry: exporting 512 spans failed: self signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT) " +
        "(the collector's certificate is not trusted: give its CA's PEM file in OTEL_EXPORTER_OTLP_CERTIFICATE)",
    ]);
    at(10_000);
    said.failed("300 spans", selfSigned);
    expect(warnings()[1]).toBe(
      "OpenTelemetry: 79 more exports failed (the last: exporting 512 spans failed: self signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT))",
    );
    said.flush();
    expect(warnings()[2]).toBe(
      "OpenTelemetry: 1 more export failed (the last: exporting 300 spans failed: self signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT))",
    );
    said.flush();
    expect(warnings()).toHaveLength(3);
  });

  test("a new kind of failure is said at once; the SDK's own (no count given, an object with a message) as one line", () => {
    const { said, warnings } = failures();
    said.failed("512 spans", selfSigned);
    said.failed(undefined, new Error("PeriodicExportingMetricReader: metrics export failed (error Error: self signed certificate)"));
    said.failed(undefined, { message: "connect ECONNREFUSED 127.0.0.1:4318", code: "ECONNREFUSED", stack: "…" });
    said.failed(undefined, selfSigned); // the log processor's, with the spans' error
    said.failed("512 spans", Object.assign(new Error("Bad Request"), { code: 400 }));
    expect(warnings()).toEqual([
      expect.stringContaining("exporting 512 spans failed: self signed certificate"),
      "OpenTelemetry: PeriodicExportingMetricReader: metrics export failed (error Error: self signed certificate) " +
        "(the collector's certificate is not trusted: give its CA's PEM file in OTEL_EXPORTER_OTLP_CERTIFICATE)",
      "OpenTelemetry: connect ECONNREFUSED 127.0.0.1:4318 (nothing listens at the endpoint: check OTEL_EXPORTER_OTLP_ENDPOINT)",
      expect.stringMatching(/^OpenTelemetry: self signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\) \(the collector's certificate/),
      "OpenTelemetry: exporting 512 spans failed: Bad Request",
    ]);
  });
});
