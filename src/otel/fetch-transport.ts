// The spans' OTLP/HTTP POST made with `fetch`, for an http: endpoint (exporters.ts chooses it;
// https:, with its certificate variables, keeps the SDK's node:http transport). That transport
// spends ~1 ms of JavaScript a POST (a ClientRequest with a Readable piped into it): ~0.9 µs a
// request at 1,000 users with every request a span (bench/NOTES.md). With
// OTEL_EXPORTER_OTLP_COMPRESSION=gzip a batch is compressed once, at level 1, at once (platform.ts's
// gzipFast: under Bun a quarter of the CPU of the SDK's node:zlib stream at level 6, for ~5% more
// bytes), and every attempt sends the same bytes. A response is judged as that transport judges it, and retried by
// the SDK's rule, which otlp-exporter-base does not export: up to 5 more attempts, backoff 1 s ×1.5
// up to 5 s with ±20% jitter, on 429/502/503/504, a network error or a timeout, after Retry-After
// when the server gives one, never past the export's timeout.
import { setTimeout } from "node:timers";
import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { OTLPExporterError } from "@opentelemetry/otlp-exporter-base";
import { gzipFast } from "../platform.ts";

/** What a fetch POST needs of the SDK's resolved configuration (convertLegacyHttpOptions). */
export interface FetchTarget {
  readonly url: string;
  readonly headers: () => Promise<Record<string, string>>;
  readonly userAgent?: string;
  /** "gzip" or "none" (OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION). */
  readonly compression?: string;
}

/** The SDK's user agent for its exporters, without its version (the collector logs it, nothing reads it). */
const USER_AGENT = "OTel-OTLP-Exporter-JavaScript loadworker";
/** As the SDK's transport: a larger response is a failure, whatever its status. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

const RETRY = { attempts: 5, initialMs: 1000, maxMs: 5000, multiplier: 1.5, jitter: 0.2 } as const;

/** True when `fetch` can make the POST as the SDK would: plain http (gzip or not). */
export const postsByFetch = (options: { url: string }) => new URL(options.url).protocol === "http:";

/** The SDK's transport contract over `fetch`, with its retry rule; a gzip target's batch is compressed once. */
export function fetchTransport(target: FetchTarget): IExporterTransport {
  const posts = retrying({ send: (body, timeoutMs) => postOnce(target, body, timeoutMs), shutdown() {} });
  if (target.compression !== "gzip") return posts;
  return {
    async send(data, timeoutMs) {
      let body: Uint8Array;
      try {
        body = gzipFast(data);
      } catch (error) {
        return { status: "failure", error: asError(error) };
      }
      return posts.send(body, timeoutMs);
    },
    shutdown: () => posts.shutdown(),
  };
}

async function postOnce(target: FetchTarget, body: Uint8Array, timeoutMs: number): Promise<ExportResponse> {
  const headers = { ...(await target.headers()) };
  headers["User-Agent"] = target.userAgent ? `${target.userAgent} ${USER_AGENT}` : USER_AGENT;
  if (target.compression === "gzip") headers["Content-Encoding"] = "gzip";
  const signal = AbortSignal.timeout(Math.max(timeoutMs, 1));
  let response: Response;
  try {
    response = await fetch(target.url, { method: "POST", headers, body, signal });
  } catch (error) {
    // A refused or reset connection, or the timeout: the SDK retries both (its network error codes).
    return { status: "retryable", error: asError(error) };
  }
  let received: Uint8Array | undefined;
  let unread: Error | undefined;
  try {
    received = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    unread = asError(error);
  }
  return judged(response, received, unread);
}

/** The SDK transport's verdict on a response, from its body, or from why the body could not be read (`unread`). */
function judged(response: Response, body: Uint8Array | undefined, unread: Error | undefined): ExportResponse {
  if (body !== undefined && body.byteLength > MAX_RESPONSE_BYTES) {
    return { status: "failure", error: new Error(`OTLP export response body exceeded size limit of ${MAX_RESPONSE_BYTES} bytes`) };
  }
  if (response.ok) return body === undefined ? { status: "success" } : { status: "success", data: body };
  if (RETRYABLE_STATUS.has(response.status)) {
    const retryInMillis = retryAfterMs(response.headers.get("retry-after"));
    return unread === undefined ? { status: "retryable", retryInMillis } : { status: "retryable", error: unread, retryInMillis };
  }
  const text = body === undefined ? "" : new TextDecoder().decode(body);
  return { status: "failure", error: unread ?? new OTLPExporterError(response.statusText, response.status, text) };
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
