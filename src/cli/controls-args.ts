// The worker's control flags: boomer's rate limits and the Prometheus endpoint. Bad values are
// usage errors that name the flag (exit 2).
import { systemClock } from "../clock.ts";
import { LoadworkerError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { startMetricsEndpoint } from "../metrics/endpoint.ts";
import { type RateLimits, parseIncreaseRate, rateLimiterFor } from "../users/rate-limit.ts";
import { parsePort } from "./args.ts";

export const controlArgs = {
  "max-rps": { type: "string", description: "Cap task executions per second for the whole worker (boomer's --max-rps; 0: no cap)" },
  "request-increase-rate": {
    type: "string",
    description: 'Ramp the cap up: add N per second every second ("N"), or per period ("N/1s", "N/500ms") (boomer\'s flag)',
  },
  "metrics-port": { type: "string", description: "Serve GET /metrics in Prometheus format on this port (off by default)" },
  "metrics-host": { type: "string", default: "0.0.0.0", description: "Address for --metrics-port (127.0.0.1 keeps it local)" },
} as const;

/** Reads --max-rps / --request-increase-rate; undefined when neither is set (no limiter at all). */
export function parseRateLimit(maxRps: string | undefined, increase: string | undefined): RateLimits | undefined {
  let cap = 0;
  if (maxRps !== undefined) {
    cap = Number(maxRps);
    if (maxRps.trim() === "" || !Number.isFinite(cap) || cap < 0) {
      throw new LoadworkerError(
        "E_USAGE",
        `--max-rps must be a number of task executions per second >= 0 (0: no cap), e.g. --max-rps 500; got "${maxRps}"`,
      );
    }
  }
  let ramp: RateLimits["increase"];
  if (increase !== undefined && increase !== "-1") {
    const parsed = parseIncreaseRate(increase);
    if ("error" in parsed) throw new LoadworkerError("E_USAGE", `--request-increase-rate: ${parsed.error}`);
    ramp = parsed;
  }
  if (cap === 0 && !ramp) return undefined;
  // boomer: a ramp without --max-rps grows without bound.
  return { maxRps: cap === 0 ? Infinity : cap, increase: ramp };
}

export function parseMetricsPort(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parsePort(value, "--metrics-port");
}

/**
 * The limiter and the /metrics endpoint for the worker command. The endpoint listens before the
 * worker starts, so a taken port stops it with exit 2; without the flags, neither exists.
 */
export async function startControls(
  rateLimit: RateLimits | undefined,
  metricsPort: number | undefined,
  metricsHost: string,
  log: Logger,
  slot?: { index: number; count: number },
) {
  const endpoint =
    metricsPort === undefined ? undefined : await startMetricsEndpoint({ port: metricsPort, host: metricsHost, log, index: slot?.index });
  // --processes N: each process takes its share of the cap, so the command as a whole keeps it.
  const limiter = rateLimiterFor(rateLimit, systemClock, slot?.count ?? 1);
  if (rateLimit) {
    const ramp = rateLimit.increase ? `, ramping up by ${rateLimit.increase.step}/s every ${rateLimit.increase.everyMs} ms` : "";
    log.info(`task executions capped at ${Number.isFinite(rateLimit.maxRps) ? `${rateLimit.maxRps}/s` : "no maximum"}${ramp}`);
  }
  return { limiter, metrics: endpoint?.collector, close: async () => endpoint?.close() };
}
