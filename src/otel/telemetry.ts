// OpenTelemetry for one process (docs/telemetry.md): off until --otel on this command line or a
// master whose parsed_options say otel, then the SDK is loaded (sdk.ts, by a dynamic import) and
// wired in: the request histogram listens to the stats, the tracer goes into the clients' slot,
// log lines are copied to the log export. Until then nothing of it runs: the clients' slot stays
// empty, the stats have no listener, the logger checks one field per line.
import type { TracingSlot } from "../http/tracing.ts";
import type { Logger } from "../log.ts";
import type { Stats } from "../stats/index.ts";
import { logText } from "./log-text.ts";
import type { Sdk } from "./sdk.ts";
import { otelRequested, otelSettings } from "./settings.ts";

export interface TelemetryInit {
  /** --otel on this command line: start at once, without waiting for a master to ask. */
  readonly flag: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where telemetry says what it does; its lines are not exported (an export failure would loop). */
  readonly log: Logger;
  readonly version: string;
  /** The resource's "filename" (Locust's locustfile): the task folder or file. */
  readonly filename: string;
  /**
   * Whether this process reports locust.users.count: `run` does; a worker does not, as Locust's
   * WorkerRunner does not (the master reports the users of all workers).
   */
  readonly reportsUsers: boolean;
}

/** How long the last export may take when the process ends (a collector that is gone must not hold it). */
const SHUTDOWN_MS = 10_000;

export class Telemetry {
  /** The clients' tracer slot (userClients); filled once traces are exported. */
  readonly tracing: TracingSlot = { tracer: undefined };
  private sdk: Sdk | undefined;
  private loading: Promise<void> | undefined;
  private stats: Stats | undefined;
  private counts: (() => Readonly<Record<string, number>>) | undefined;

  constructor(private readonly init: TelemetryInit) {}

  /** --otel (or LOCUST_ENABLE_OPENTELEMETRY) on this process: start before the users. */
  get flagged(): boolean {
    return this.init.flag;
  }

  /** The process's logger with its lines also exported once logs are (one field check per line until then). */
  bridge(log: Logger): Logger {
    const at =
      (level: "debug" | "info" | "warn" | "error") =>
      (message: string, ...rest: unknown[]) => {
        log[level](message, ...rest);
        this.sdk?.emit?.(level, logText(message, rest));
      };
    return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
  }

  /** The stats whose requests the histogram records, and the user counts of this process. */
  attach(stats: Stats, counts: () => Readonly<Record<string, number>>): void {
    this.stats = stats;
    this.counts = counts;
    this.wire();
  }

  /** Loads and starts the SDK once; resolves when it is wired in (or when no exporter is configured). */
  start(profile = ""): Promise<void> {
    this.loading ??= this.load(profile);
    return this.loading;
  }

  /** A test begins: starts telemetry when the master asked for it; the spawn waits for the returned promise. */
  testStart(parsedOptions: Readonly<Record<string, unknown>>): Promise<void> | undefined {
    if (this.loading !== undefined) return undefined;
    if (!this.init.flag && !otelRequested(parsedOptions)) return undefined;
    const profile = typeof parsedOptions.profile === "string" ? parsedOptions.profile : "";
    return this.start(profile);
  }

  /** Exports what is left and stops, within SHUTDOWN_MS; nothing to do when telemetry never started. */
  async shutdown(): Promise<void> {
    await this.loading;
    const sdk = this.sdk;
    if (sdk === undefined) return;
    this.sdk = undefined;
    this.tracing.tracer = undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.init.log.warn(`OpenTelemetry: the last export did not finish within ${SHUTDOWN_MS / 1000}s; left unsent`);
        resolve();
      }, SHUTDOWN_MS);
    });
    await Promise.race([sdk.shutdown(), late]);
    clearTimeout(timer);
  }

  private async load(profile: string): Promise<void> {
    const { log, env } = this.init;
    const settings = otelSettings(env);
    for (const warning of settings?.warnings ?? []) log.warn(`OpenTelemetry: ${warning}`);
    if (settings === undefined || (!settings.traces && !settings.metrics && !settings.logs)) {
      log.info("No OpenTelemetry exporters configured, opentelemetry not enabled");
      return;
    }
    try {
      const { startSdk } = await import("./sdk.ts");
      this.sdk = startSdk({ settings, version: this.init.version, filename: this.init.filename, profile, log });
    } catch (error) {
      log.error(`OpenTelemetry could not start, continuing without it: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const on = (["metrics", "traces", "logs"] as const).filter((s) => settings[s]).map((s) => `${s} (${settings[s]})`);
    log.info(`OpenTelemetry enabled: ${on.join(", ")}`);
    this.wire();
  }

  // Once both the SDK and the stats are there (in either order).
  private wire(): void {
    const { sdk, stats, counts } = this;
    if (sdk === undefined || stats === undefined || counts === undefined) return;
    this.stats = undefined; // wired once
    if (sdk.durations) stats.listen(sdk.durations);
    this.tracing.tracer = sdk.tracer;
    if (this.init.reportsUsers) sdk.observeUsers(counts);
  }
}
