// The OpenTelemetry SDK, set up as Locust 2.47 sets up Python's (locust/opentelemetry.py): one
// resource (service.name "locust" unless OTEL_SERVICE_NAME, service.version, host.name, filename,
// profile, then OTEL_RESOURCE_ATTRIBUTES), our HTTP spans batched as the SDK's batch span
// processor batches (http-spans.ts, span-batches.ts: no SDK Tracer nor span object, whose
// per-call cost was most of a traced request), a meter
// provider with a periodic reader and the locust.client.duration histogram (and, where this
// process runs the users' count, the locust.users.count gauge), a logger provider with a batch
// processor. Only telemetry.ts reaches this file, by a dynamic import: a worker without --otel
// never loads the SDK, and the compiled binary carries it without evaluating it.
import { hostname } from "node:os";
import { DiagLogLevel, SeverityNumber, ValueType, diag } from "@opentelemetry/api";
import { setGlobalErrorHandler } from "@opentelemetry/core";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import type { CallTracer } from "../http/tracing.ts";
import type { Logger } from "../log.ts";
import type { RequestListener } from "../stats/index.ts";
import { ExportFailures } from "./export-failures.ts";
import { logExporter, metricExporter, spanExporter } from "./exporters.ts";
import { spanTracer } from "./http-spans.ts";
import { SpanBatches } from "./span-batches.ts";
import { durationHistogram } from "./duration-histogram.ts";
import { requestDurations } from "./request-metrics.ts";
import type { OtelSettings } from "./settings.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What telemetry.ts wires into the process: each part only for a signal that is exported. */
export interface Sdk {
  readonly durations: RequestListener | undefined;
  readonly tracer: CallTracer | undefined;
  readonly emit: ((level: LogLevel, text: string) => void) | undefined;
  /** The locust.users.count gauge, read at each export; metrics only. */
  observeUsers(counts: () => Readonly<Record<string, number>>): void;
  /** Exports what is left (the last histogram values, spans and logs) and stops. */
  shutdown(): Promise<void>;
}

export interface SdkInit {
  readonly settings: OtelSettings;
  readonly version: string;
  readonly filename: string;
  readonly profile: string;
  /** The SDK's own complaints (an export that failed): to the console only, never back into the log export. */
  readonly log: Logger;
}

export function startSdk({ settings, version, filename, profile, log }: SdkInit): Sdk {
  // The metric reader's and log processor's failed exports come here (the SDK's default handler
  // writes each as JSON with its stack): said as the spans' are, once and then counted; so do the
  // SDK's own lines about an export (the metric reader's "export timed out", every interval).
  const failures = new ExportFailures(log);
  const said = (message: string, ...args: unknown[]) => {
    const line = [message, ...args.map(String)].join(" ");
    if (/export.*(fail|timed out)/i.test(line)) failures.failed(undefined, line);
    else log.warn(line);
  };
  diag.setLogger({ error: said, warn: said, info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
  setGlobalErrorHandler((error) => failures.failed(undefined, error));
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(
      resourceFromAttributes({
        "service.name": settings.serviceName,
        "service.version": version,
        "host.name": hostname(),
        // Several workers (or --processes children) on one host stay separate series.
        "service.instance.id": crypto.randomUUID(),
        filename,
        profile,
      }),
    );
  const shutdowns: (() => Promise<void>)[] = [];
  let tracer: CallTracer | undefined;
  if (settings.traces) {
    // No SDK Tracer nor span processor: spanTracer samples each call and its span ends in our
    // queue (http-spans.ts), batched as the SDK's BatchSpanProcessor batches (span-batches.ts).
    const scope = { name: "loadworker", version, schemaUrl: undefined };
    const batches = new SpanBatches(settings.spanBatches, spanExporter(settings.traces, resource, scope), log, failures);
    tracer = spanTracer({ queue: batches.queue, sampler: settings.sampler, ratio: settings.ratio });
    shutdowns.push(() => batches.shutdown());
  }
  let durations: RequestListener | undefined;
  let observeUsers: Sdk["observeUsers"] = () => {};
  if (settings.metrics) {
    const histogram = durationHistogram(resource, version);
    const reader = new PeriodicExportingMetricReader({
      exporter: metricExporter(settings.metrics),
      metricProducers: [histogram.producer],
      exportIntervalMillis: settings.metricIntervalMs,
      exportTimeoutMillis: Math.min(settings.metricTimeoutMs, settings.metricIntervalMs),
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    const meter = provider.getMeter("locust");
    durations = requestDurations(histogram.record);
    observeUsers = (counts) => {
      const seen = new Set<string>();
      meter
        .createObservableGauge("locust.users.count", {
          unit: "{user}",
          description: "Number of currently running Locust users",
          valueType: ValueType.INT, // whole users, as Python's int observations export
        })
        .addCallback((result) => {
          // A class whose users all stopped reads 0, as Locust's user_classes_count keeps it.
          const now = counts();
          for (const userClass of Object.keys(now)) seen.add(userClass);
          for (const userClass of seen) result.observe(now[userClass] ?? 0, { user_class: userClass });
        });
    };
    shutdowns.push(() => provider.shutdown());
  }
  let emit: Sdk["emit"];
  if (settings.logs) {
    const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: logExporter(settings.logs) })] });
    const logger = provider.getLogger("loadworker", version);
    emit = (level, text) => logger.emit({ severityNumber: SEVERITY[level], severityText: SEVERITY_TEXT[level], body: text });
    shutdowns.push(() => provider.shutdown());
  }
  return {
    durations,
    tracer,
    emit,
    observeUsers,
    shutdown: async () => {
      await Promise.allSettled(shutdowns.map((stop) => stop()));
      failures.flush();
    },
  };
}

// Python's logging levels as its OpenTelemetry handler maps them.
const SEVERITY: Record<LogLevel, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};
const SEVERITY_TEXT: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO", warn: "WARNING", error: "ERROR" };
