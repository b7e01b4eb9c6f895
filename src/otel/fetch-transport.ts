// The spans' OTLP/HTTP POST made with `fetch`, for an http: endpoint without compression
// (exporters.ts chooses it; https: with its certificate variables, and gzip, keep the SDK's
// node:http transport). That transport spends ~1 ms of JavaScript a POST (a ClientRequest with a
// Readable piped into it): ~0.9 µs a request at 1,000 users with every request a span
// (bench/NOTES.md). A response is judged as that transport judges it, and retried by the SDK's
// rule, which otlp-exporter-base does not export: up to 5 more attempts, backoff 1 s ×1.5 up to 5 s
// with ±20% jitter, on 429/502/503/504, a network error or a timeout, after Retry-After when the
// server gives one, never past the export's timeout.
import { setTimeout } from "node:timers";
import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { OTLPExporterError } from "@opentelemetry/otlp-exporter-base";

/** What a fetch POST needs of the SDK's resolved configuration (convertLegacyHttpOptions). */
export interface FetchTarget {
  readonly url: string;
  readonly headers: () => Promise<Record<string, string>>;
  readonly userAgent?: string;
}

/** The SDK's user agent for its exporters, without its version (the collector logs it, nothing reads it). */
const USER_AGENT = "OTel-OTLP-Exporter-JavaScript loadworker";
/** As the SDK's transport: a larger response is a failure, whatever its status. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const RETRY = { attempts: 5, initialMs: 1000, maxMs: 5000, multiplier: 1.5, jitter: 0.2 } as const;

/** True when `fetch` can make the POST as the SDK would: plain http, no compression. */
export const postsByFetch = (options: { url: string; compression: string }) =>
  options.compression === "none" && new URL(options.url).protocol === "http:";

/** The SDK's transport contract over `fetch`, with its retry rule. */
export function fetchTransport(target: FetchTarget): IExporterTransport {
  return retrying({ send: (data, timeoutMs) => postOnce(target, data, timeoutMs), shutdown() {} });
}

async function postOnce(target: FetchTarget, data: Uint8Array, timeoutMs: number): Promise<ExportResponse> {
  const headers = { ...(await target.headers()) };
  headers["User-Agent"] = target.userAgent ? `${target.userAgent} ${USER_AGENT}` : USER_AGENT;
  const signal = AbortSignal.timeout(Math.max(timeoutMs, 1));
  let response: Response;
  try {
    response = await fetch(target.url, { method: "POST", headers, body: data, signal });
  } catch (error) {
    // A refused or reset connection, or the timeout: the SDK retries both (its network error codes).
    return { status: "retryable", error: asError(error) };
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (response.ok) return { status: "success" };
    return RETRYABLE_STATUS.has(response.status)
      ? { status: "retryable", error: asError(error), retryInMillis: retryAfterMs(response.headers.get("retry-after")) }
      : { status: "failure", error: asError(error) };
  }
  if (body.byteLength > MAX_RESPONSE_BYTES) {
    return { status: "failure", error: new Error(`OTLP export response body exceeded size limit of ${MAX_RESPONSE_BYTES} bytes`) };
  }
  if (response.ok) return { status: "success", data: body };
  if (RETRYABLE_STATUS.has(response.status)) {
    return { status: "retryable", retryInMillis: retryAfterMs(response.headers.get("retry-after")) };
  }
  const text = new TextDecoder().decode(body);
  return { status: "failure", error: new OTLPExporterError(response.statusText, response.status, text) };
}

/** Retry-After in milliseconds, read as the SDK reads it: seconds, or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : -1;
  const delay = new Date(header).getTime() - Date.now();
  return Math.max(delay, 0);
}

/** `transport` retried by the SDK's rule (see the head of this file). */
function retrying(transport: IExporterTransport): IExporterTransport {
  return {
    async send(data, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let nextBackoff: number = RETRY.initialMs;
      let result = await transport.send(data, timeoutMs);
      for (let left = RETRY.attempts; result.status === "retryable" && left > 0; left--) {
        const jitter = Math.random() * 2 * RETRY.jitter - RETRY.jitter;
        const backoff = Math.max(Math.min(nextBackoff * (1 + jitter), RETRY.maxMs), 0);
        nextBackoff *= RETRY.multiplier;
        const wait = result.retryInMillis ?? backoff;
        const remaining = deadline - Date.now();
        if (wait > remaining) return result;
        await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
        result = await transport.send(data, remaining);
      }
      return result;
    },
    shutdown: () => transport.shutdown(),
  };
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
