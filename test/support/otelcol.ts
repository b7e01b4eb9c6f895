// A real OpenTelemetry Collector (core v0.165.0, built once by scripts/lib/otelcol.sh) on
// 127.0.0.1: its OTLP/HTTP receiver takes what loadworker exports, and its otlphttp exporter
// posts the same data as OTLP JSON to a small sink here, which keeps every body for the test.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, ROOT, type Proc, startProc, tempDir } from "./procs.ts";
import { waitFor } from "./wait.ts";

let binary: string | undefined;

/** The collector binary, built on first use (scripts/test.sh --full builds it before the tests). */
export function otelcolBinary(): string {
  binary ??= execFileSync(join(ROOT, "scripts/lib/otelcol.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return binary;
}

// biome-ignore lint/suspicious/noExplicitAny: OTLP JSON as the collector writes it, read field by field below
type Json = any;

export interface Collector {
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly endpoint: string;
  readonly proc: Proc;
  /** Every body the collector forwarded, by signal. */
  readonly received: { metrics: Json[]; traces: Json[]; logs: Json[] };
  close(): Promise<void>;
}

/** The receiver behind TLS: its certificate and key, and with `clientCa` it asks for a client certificate signed by it. */
export interface CollectorTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

export async function startCollector(tls?: CollectorTls): Promise<Collector> {
  const received = { metrics: [] as Json[], traces: [] as Json[], logs: [] as Json[] };
  const sink = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const signal = (req.url ?? "").split("/").pop() as keyof typeof received;
      received[signal]?.push(JSON.parse(body));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const sinkPort = (sink.address() as AddressInfo).port;
  const port = await freePort();
  const dir = tempDir("otelcol");
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    [
      "receivers:",
      "  otlp:",
      "    protocols:",
      "      http:",
      `        endpoint: 127.0.0.1:${port}`,
      ...(tls ? ["        tls:", `          cert_file: ${tls.cert}`, `          key_file: ${tls.key}`] : []),
      ...(tls?.clientCa ? [`          client_ca_file: ${tls.clientCa}`] : []),
      "exporters:",
      "  otlphttp:",
      `    endpoint: http://127.0.0.1:${sinkPort}`,
      "    encoding: json",
      "    compression: none",
      "service:",
      "  telemetry:",
      "    metrics:",
      "      level: none",
      "  pipelines:",
      ...["metrics", "traces", "logs"].map((p) => `    ${p}: { receivers: [otlp], exporters: [otlphttp] }`),
      "",
    ].join("\n"),
  );
  const proc = startProc(otelcolBinary(), ["--config", config]);
  let exited = false;
  void proc.exited.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`the collector exited at start:\n${proc.output()}`);
      return (await accepts(port)) ? true : undefined;
    },
    15_000,
    "the OpenTelemetry Collector to listen",
  );
  return {
    endpoint: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    proc,
    received,
    close: async () => {
      proc.kill();
      await proc.exited;
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    },
  };
}

/**
 * Resolves once the collector has forwarded nothing new for `quietMs`: its exporter forwards on
 * its own schedule, so the last run's final exports (its logs, its last metrics) can still land
 * after that run ended, and a test that clears `received` must not count them as its own.
 */
export async function quiet(collector: Collector, quietMs = 500): Promise<void> {
  const count = () => collector.received.metrics.length + collector.received.traces.length + collector.received.logs.length;
  let seen = count();
  let since = Date.now();
  await waitFor(
    () => {
      if (count() !== seen) {
        seen = count();
        since = Date.now();
      }
      return Date.now() - since >= quietMs ? true : undefined;
    },
    15_000,
    "the collector to forward nothing new",
  );
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** An OTLP attribute list as a plain object. */
export function attributesOf(list: Json[] | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { key, value } of list ?? []) out[key] = value.stringValue ?? Number(value.intValue ?? value.doubleValue);
  return out;
}

/** Every data point of a metric, with its resource's and its own attributes. */
export function pointsOf(collector: Collector, metric: string): { resource: Record<string, string | number>; point: Json }[] {
  const out: { resource: Record<string, string | number>; point: Json }[] = [];
  for (const body of collector.received.metrics) {
    for (const rm of body.resourceMetrics ?? []) {
      const resource = attributesOf(rm.resource?.attributes);
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          if (m.name !== metric) continue;
          for (const point of (m.histogram ?? m.gauge ?? m.sum)?.dataPoints ?? [])
            out.push({ resource, point: { ...point, unit: m.unit } });
        }
      }
    }
  }
  return out;
}

/**
 * The histogram's request counts by attribute set ("name" or "name|error.type"): the last
 * cumulative point of each process (service.instance.id), added over the processes.
 */
export function durationCounts(collector: Collector): Map<string, number> {
  const last = new Map<string, number>();
  for (const { resource, point } of pointsOf(collector, "locust.client.duration")) {
    const a = attributesOf(point.attributes);
    const key = a["error.type"] === undefined ? `${a.name}` : `${a.name}|${a["error.type"]}`;
    const stream = `${resource["service.instance.id"]} ${key}`;
    last.set(stream, Math.max(last.get(stream) ?? 0, Number(point.count)));
  }
  const totals = new Map<string, number>();
  for (const [stream, count] of last) {
    const key = stream.slice(stream.indexOf(" ") + 1);
    totals.set(key, (totals.get(key) ?? 0) + count);
  }
  return totals;
}

/** Every span the collector forwarded. */
export function spansOf(collector: Collector): Json[] {
  return collector.received.traces.flatMap((b) => (b.resourceSpans ?? []).flatMap((r: Json) => r.scopeSpans.flatMap((s: Json) => s.spans)));
}

/** Every log record's body text. */
export function logBodies(collector: Collector): string[] {
  return collector.received.logs.flatMap((b) =>
    (b.resourceLogs ?? []).flatMap((r: Json) =>
      r.scopeLogs.flatMap((s: Json) => s.logRecords.map((l: Json) => String(l.body?.stringValue))),
    ),
  );
}

export interface TraceTarget {
  readonly url: string;
  /** Every request: its path and the traceparent header it carried, if any. */
  readonly seen: { path: string; traceparent: string | undefined }[];
  close(): Promise<void>;
}

/** The routes examples/otel calls (/api/items, /api/items/N: 200; /status/N: N), noting each request's traceparent. */
export async function traceTarget(): Promise<TraceTarget> {
  const seen: { path: string; traceparent: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    const traceparent = req.headers.traceparent;
    seen.push({ path, traceparent: Array.isArray(traceparent) ? traceparent[0] : traceparent });
    const status = /^\/status\/(\d{3})$/.exec(path);
    res.writeHead(status ? Number(status[1]) : 200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
