// What the standard OpenTelemetry environment asks for, read the way Locust 2.47 reads it
// (locust/opentelemetry.py): OTEL_{TRACES,METRICS,LOGS}_EXPORTER list exporters ("otlp" by
// default, "none" for none), each signal's OTLP protocol comes from
// OTEL_EXPORTER_OTLP_{SIGNAL}_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL. Pure: no SDK here, so a
// worker without --otel never loads one. Endpoints, headers, timeouts and compression
// (OTEL_EXPORTER_OTLP_*) are read by the exporters themselves.

/** The OTLP transports this worker speaks: over HTTP only (gRPC would need a second stack). */
export type OtlpProtocol = "http/protobuf" | "http/json";

export type Signal = "traces" | "metrics" | "logs";

/** The standard samplers (OTEL_TRACES_SAMPLER); this worker's spans are roots, so parentbased_X samples as X. */
export const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export interface OtelSettings {
  /** A signal is exported over OTLP with this protocol, or not at all (undefined). */
  readonly traces: OtlpProtocol | undefined;
  readonly metrics: OtlpProtocol | undefined;
  readonly logs: OtlpProtocol | undefined;
  readonly sampler: SamplerName;
  /** The share of traces sampled by the traceidratio samplers (OTEL_TRACES_SAMPLER_ARG, default 1). */
  readonly ratio: number;
  /** OTEL_SERVICE_NAME, default "locust" as in Locust. */
  readonly serviceName: string;
  /** OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT in ms (the spec's 60000 / 30000). */
  readonly metricIntervalMs: number;
  readonly metricTimeoutMs: number;
  /** The batch span processor's OTEL_BSP_MAX_QUEUE_SIZE, _MAX_EXPORT_BATCH_SIZE, _SCHEDULE_DELAY, _EXPORT_TIMEOUT (2048, 512, 5000, 30000). */
  readonly spanBatches: SpanBatchSettings;
  /** What was set but cannot be honoured (a gRPC protocol, an unknown exporter): say it, export the rest. */
  readonly warnings: readonly string[];
}

/** The batch span processor's bounds (span-batches.ts). */
export interface SpanBatchSettings {
  readonly queueSize: number;
  readonly batchSize: number;
  readonly delayMs: number;
  readonly timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The settings, or undefined when every signal's exporters are "none" (Locust: "opentelemetry not enabled"). */
export function otelSettings(env: Env): OtelSettings | undefined {
  const warnings: string[] = [];
  const signal = (name: Signal): OtlpProtocol | undefined => {
    const variable = `OTEL_${name.toUpperCase()}_EXPORTER`;
    const exporters = new Set(
      (env[variable] ?? "otlp")
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    );
    for (const e of exporters) {
      if (e !== "otlp" && e !== "none") warnings.push(`${variable}=${e}: loadworker exports with "otlp" only; ${e} ignored`);
    }
    if (!exporters.has("otlp")) return undefined;
    const protocol = protocolOf(name, env, warnings);
    return protocol !== undefined && endpointUsable(name, env, warnings) ? protocol : undefined;
  };
  const traces = signal("traces");
  const metrics = signal("metrics");
  const logs = signal("logs");
  if (traces === undefined && metrics === undefined && logs === undefined && warnings.length === 0) return undefined;
  return {
    traces,
    metrics,
    logs,
    ...samplerOf(env, warnings),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || "locust",
    metricIntervalMs: millis(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000, warnings),
    metricTimeoutMs: millis(env, "OTEL_METRIC_EXPORT_TIMEOUT", 30_000, warnings),
    spanBatches: {
      queueSize: positive(env, "OTEL_BSP_MAX_QUEUE_SIZE", 2048, "spans", warnings),
      batchSize: positive(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512, "spans", warnings),
      delayMs: millis(env, "OTEL_BSP_SCHEDULE_DELAY", 5000, warnings),
      timeoutMs: millis(env, "OTEL_BSP_EXPORT_TIMEOUT", 30_000, warnings),
    },
    warnings,
  };
}

/** Whether the master's parsed_options ask for telemetry (its --otel, or LOCUST_ENABLE_OPENTELEMETRY). */
export function otelRequested(parsedOptions: Readonly<Record<string, unknown>>): boolean {
  return parsedOptions.otel === true;
}

function protocolOf(name: Signal, env: Env, warnings: string[]): OtlpProtocol | undefined {
  const specific = `OTEL_EXPORTER_OTLP_${name.toUpperCase()}_PROTOCOL`;
  const variable = env[specific] !== undefined ? specific : "OTEL_EXPORTER_OTLP_PROTOCOL";
  const value = (env[variable] ?? "http/protobuf").trim().toLowerCase();
  if (value === "http/protobuf" || value === "http") return "http/protobuf"; // Locust takes "http" for it too
  if (value === "http/json") return "http/json";
  warnings.push(
    `${variable}=${value}: loadworker exports OTLP over HTTP (http/protobuf or http/json, the collector's port 4318); ${name} not exported`,
  );
  return undefined;
}

// The SDK's exporters drop an endpoint they cannot parse and post to localhost:4318 instead,
// with a line of their own per signal: a collector that happens to listen there would get the
// data unasked. A scheme-less "host:4318" (how a collector's own config writes it) is the usual slip.
function endpointUsable(name: Signal, env: Env, warnings: string[]): boolean {
  const specific = `OTEL_EXPORTER_OTLP_${name.toUpperCase()}_ENDPOINT`;
  const variable = env[specific]?.trim() ? specific : "OTEL_EXPORTER_OTLP_ENDPOINT";
  const raw = env[variable]?.trim();
  if (!raw) return true; // the default, http://localhost:4318
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const said = `${variable}=${raw} is not an http:// or https:// URL`;
    // One warning per variable, not per signal that reads it.
    if (!warnings.some((w) => w.startsWith(said)))
      warnings.push(`${said}: write it with its scheme, e.g. http://${raw.replace(/^[a-z]+:\/\//i, "")}; not exported`);
    return false;
  }
  const said = `${variable}=${raw} ends in /v1/`;
  if (
    variable === "OTEL_EXPORTER_OTLP_ENDPOINT" &&
    /\/v1\/(traces|metrics|logs)\/?$/.test(url.pathname) &&
    !warnings.some((w) => w.startsWith(said))
  )
    warnings.push(
      `${said}${/\/v1\/(\w+)/.exec(url.pathname)?.[1]}: the exporters add /v1/<signal> to it; give the collector's base URL (${url.origin}) or set OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT`,
    );
  return true;
}

function samplerOf(env: Env, warnings: string[]): { sampler: SamplerName; ratio: number } {
  const raw = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || "parentbased_always_on";
  const known = (SAMPLERS as readonly string[]).includes(raw);
  if (!known) warnings.push(`OTEL_TRACES_SAMPLER=${raw} is not one of ${SAMPLERS.join(", ")}; parentbased_always_on used`);
  const sampler = known ? (raw as SamplerName) : "parentbased_always_on";
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  let ratio = 1;
  if (sampler.endsWith("traceidratio") && arg !== undefined && arg !== "") {
    ratio = Number(arg);
    if (!(ratio >= 0 && ratio <= 1)) {
      warnings.push(`OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio from 0 to 1; 1 used`);
      ratio = 1;
    }
  }
  return { sampler, ratio };
}

function millis(env: Env, variable: string, fallback: number, warnings: string[]): number {
  return positive(env, variable, fallback, "milliseconds", warnings);
}

function positive(env: Env, variable: string, fallback: number, unit: string, warnings: string[]): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  warnings.push(`${variable}=${raw} is not a positive whole number of ${unit}; ${fallback} used`);
  return fallback;
}
