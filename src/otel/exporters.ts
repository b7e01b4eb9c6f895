// The OTLP exporters, one per signal, over the protocol settings.ts chose: http/protobuf (the
// SDK's default) or http/json. Each reads its endpoint, headers, timeout and compression from
// OTEL_EXPORTER_OTLP_* itself. Spans go through the SDK's OTLP export delegate (endpoint, headers,
// timeout, compression and retries as the SDK's trace exporters) with our encoder for
// http/protobuf (otlp-spans.ts) and the SDK's JSON serializer for http/json (a rare choice: it
// keeps the SDK's path, from ReadableSpans). Protobuf spans, gzip or not, are posted by `fetch`
// (fetch-transport.ts: the SDK's node:http transport was most of --otel's cost), to https: with
// the certificate variables' files (tls-files.ts) where fetch takes them. Loaded only with
// sdk.ts, when telemetry starts.
import type { InstrumentationScope } from "@opentelemetry/core";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPLogExporter as LogsJson } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as LogsProto } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter as MetricsJson } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as MetricsProto } from "@opentelemetry/exporter-metrics-otlp-proto";
import { type IOtlpExportDelegate, createOtlpNetworkExportDelegate } from "@opentelemetry/otlp-exporter-base";
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
  createOtlpHttpExporterMetrics,
} from "@opentelemetry/otlp-exporter-base/node-http";
import { JsonTraceSerializer, ProtobufTraceSerializer, TraceExporterMetricsHelper } from "@opentelemetry/otlp-transformer";
import type { Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { diag } from "@opentelemetry/api";
import { fetchInit, fetchTransport } from "./fetch-transport.ts";
import { OtlpSpanEncoder } from "./otlp-spans.ts";
import { readableSpans } from "./readable-spans.ts";
import type { SpanBatchExport } from "./span-batches.ts";
import type { SpanQueue } from "./span-queue.ts";
import type { OtlpProtocol } from "./settings.ts";
import { otlpTlsFiles } from "./tls-files.ts";

export const metricExporter = (protocol: OtlpProtocol) => (protocol === "http/json" ? new MetricsJson() : new MetricsProto());
export const logExporter = (protocol: OtlpProtocol) => (protocol === "http/json" ? new LogsJson() : new LogsProto());

/** As the SDK's OTLPTraceExporter names itself in its own metrics. */
const COMPONENT = "otlp_http_span_exporter";

interface EncodedSpans {
  readonly bytes: Uint8Array;
  readonly count: number;
}

/** The spans' exporter over `protocol`, to OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT/v1/traces. */
export function spanExporter(protocol: OtlpProtocol, resource: Resource, scope: InstrumentationScope): SpanBatchExport {
  const wallOffset = () => Date.now() - performance.now();
  if (protocol === "http/json") {
    const options = convertLegacyHttpOptions({}, "TRACES", "v1/traces", { "Content-Type": "application/json" });
    const delegate = createOtlpHttpExportDelegate(options, JsonTraceSerializer, COMPONENT, TraceExporterMetricsHelper, undefined);
    return batchExport(delegate, (queue, count) => readableSpans(queue, count, wallOffset(), resource, scope));
  }
  const encoder = new OtlpSpanEncoder(resource, scope);
  const options = convertLegacyHttpOptions({}, "TRACES", "v1/traces", { "Content-Type": "application/x-protobuf" });
  const serializer = {
    serializeRequest: (spans: EncodedSpans) => spans.bytes,
    deserializeResponse: ProtobufTraceSerializer.deserializeResponse,
  };
  const counted = { name: "span" as const, countItems: (spans: EncodedSpans) => spans.count };
  const init = fetchInit(options.url, () => {
    const { tls, warnings } = otlpTlsFiles(process.env, "TRACES");
    for (const warning of warnings) diag.warn(`OpenTelemetry: ${warning}`);
    return tls;
  });
  const delegate = init
    ? createOtlpNetworkExportDelegate(
        options,
        serializer,
        createOtlpHttpExporterMetrics(COMPONENT, counted, options.url, undefined),
        fetchTransport({ ...options, init }),
      )
    : createOtlpHttpExportDelegate(options, serializer, COMPONENT, counted, undefined);
  // The buffer of the last export that finished (its request is sent, retries and all): the next
  // batch is written into it. An export given up on (span-batches.ts's timeout) gives it back late.
  let spare: Uint8Array | undefined;
  const take = (queue: SpanQueue, count: number): EncodedSpans => {
    const bytes = encoder.encode(queue, count, wallOffset(), spare);
    spare = undefined;
    return { bytes, count };
  };
  return batchExport(delegate, take, (spans) => {
    spare = new Uint8Array(spans.bytes.buffer);
  });
}

function batchExport<T extends EncodedSpans | ReadableSpan[]>(
  delegate: IOtlpExportDelegate<T>,
  take: (queue: SpanQueue, count: number) => T,
  finished: (spans: T) => void = () => {},
): SpanBatchExport {
  return {
    send(queue, count, done) {
      const spans = take(queue, count);
      delegate.export(spans, (result) => {
        finished(spans);
        done(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error("failed")));
      });
    },
    shutdown: () => delegate.shutdown(),
  };
}
