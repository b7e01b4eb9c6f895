// The OTLP exporters, one per signal, over the protocol settings.ts chose: http/protobuf (the
// SDK's default) or http/json. Each reads its endpoint, headers, timeout and compression from
// OTEL_EXPORTER_OTLP_* itself. Loaded only with sdk.ts, when telemetry starts.
import { OTLPLogExporter as LogsJson } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as LogsProto } from "@opentelemetry/exporter-logs-otlp-proto";
import { OTLPMetricExporter as MetricsJson } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as MetricsProto } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as TracesJson } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as TracesProto } from "@opentelemetry/exporter-trace-otlp-proto";
import type { OtlpProtocol } from "./settings.ts";

export const traceExporter = (protocol: OtlpProtocol) => (protocol === "http/json" ? new TracesJson() : new TracesProto());
export const metricExporter = (protocol: OtlpProtocol) => (protocol === "http/json" ? new MetricsJson() : new MetricsProto());
export const logExporter = (protocol: OtlpProtocol) => (protocol === "http/json" ? new LogsJson() : new LogsProto());
