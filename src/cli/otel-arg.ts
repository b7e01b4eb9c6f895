// --otel, for the worker and `run`: Locust's flag (and its LOCUST_ENABLE_OPENTELEMETRY), and the
// process's Telemetry (src/otel/), which a worker also starts when its master runs with --otel.
import type { ArgsDef } from "citty";
import pkg from "../../package.json" with { type: "json" };
import type { Logger } from "../log.ts";
import { Telemetry } from "../otel/telemetry.ts";

export const otelArg = {
  otel: {
    type: "boolean",
    description:
      "Export OpenTelemetry over OTLP as Locust's --otel does: the locust.client.duration histogram, spans with traceparent, logs (OTEL_* variables; or env LOCUST_ENABLE_OPENTELEMETRY=true; docs/telemetry.md)",
  },
} satisfies ArgsDef;

/** The process's telemetry; `reportsUsers`: whether it exports locust.users.count (run does, a worker leaves it to the master). */
export function telemetryFor(
  flag: boolean | undefined,
  tasks: string | undefined,
  log: Logger,
  reportsUsers: boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Telemetry {
  const fromEnv = /^(1|true|yes|on)$/i.test(env.LOCUST_ENABLE_OPENTELEMETRY?.trim() ?? "");
  return new Telemetry({
    flag: flag === true || fromEnv,
    env,
    log,
    version: pkg.version,
    filename: tasks ?? env.LOADWORKER_TASKS ?? "tasks",
    reportsUsers,
  });
}
