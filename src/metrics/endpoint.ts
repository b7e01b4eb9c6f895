// `--metrics-port` for one process: the collector the worker (or `run`) reports into, and the
// server that reads it. It listens before any load starts, so a taken port is exit 2 at once.
import type { Logger } from "../log.ts";
import { MetricsCollector } from "./collector.ts";
import { serveMetrics } from "./server.ts";

export interface MetricsEndpoint {
  readonly collector: MetricsCollector;
  readonly port: number;
  close(): Promise<void>;
}

/** With `--processes N`, process `index` (1-based) serves on `port + index - 1`, so N processes do not fight for one. */
export async function startMetricsEndpoint(opts: { port: number; host: string; log: Logger; index?: number }): Promise<MetricsEndpoint> {
  const collector = new MetricsCollector();
  const port = opts.port + (opts.index ?? 1) - 1;
  const server = await serveMetrics({ port, host: opts.host, snapshot: () => collector.snapshot() });
  opts.log.info(`serving Prometheus metrics on http://${opts.host}:${server.port}/metrics`);
  return { collector, port: server.port, close: () => server.close() };
}
