// The spans' OTLP/HTTP POST made with `fetch` (exporters.ts chooses it): to an http: endpoint
// everywhere, to an https: one where fetch takes the certificate variables' files (Bun:
// platform/fetch-tls.ts; elsewhere the SDK's node:https transport stays). That transport spends
// ~1 ms of JavaScript a POST (a ClientRequest with a Readable piped into it): ~0.9 µs a request at
// 1,000 users with every request a span, more over TLS (bench/NOTES.md). With
// OTEL_EXPORTER_OTLP_COMPRESSION=gzip a batch is compressed once, at level 1, at once (platform/gzip.ts's
// gzipFast: under Bun a quarter of the CPU of the SDK's node:zlib stream at level 6, for ~5% more
// bytes), and every attempt sends the same bytes. A response is judged as that transport judges it, and retried by
// the SDK's rule, which otlp-exporter-base does not export: up to 5 more attempts, backoff 1 s ×1.5
// up to 5 s with ±20% jitter, on 429/502/503/504, a network error or a timeout, after Retry-After
// when the server gives one, never past the export's timeout.
import { setTimeout } from "node:timers";
import type { ExportResponse, IExporterTransport } from "@opentelemetry/otlp-exporter-base";
import { OTLPExporterError } from "@opentelemetry/otlp-exporter-base";
import { type FetchTls, fetchTlsInit } from "../platform/fetch-tls.ts";
import { gzipFast } from "../platform/gzip.ts";

/** What a fetch POST needs of the SDK's resolved configuration (convertLegacyHttpOptions). */
export interface FetchTarget {
  readonly url: string;
  readonly headers: () => Promise<Record<string, string>>;
  readonly userAgent?: string;
  /** "gzip" or "none" (OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION). */
  readonly compression?: string;
  /** More of fetch's init: TLS for an https: endpoint (fetchInit). */
  readonly init?: RequestInit;
}

/** The SDK's user agent for its exporters, without its version (the collector logs it, nothing reads it). */
const USER_AGENT = "OTel-OTLP-Exporter-JavaScript loadworker";
/** As the SDK's transport: a larger response is a failure, whatever its status. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** The SDK's retryable network errors; a certificate the client rejects (Bun's codes are node's) is not one. */
const RETRYABLE_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

const RETRY = { attempts: 5, initialMs: 1000, maxMs: 5000, multiplier: 1.5, jitter: 0.2 } as const;

/**
 * What fetch needs besides the URL to make the POST as the SDK would: nothing for http:, the
 * certificate files' TLS for https:; undefined where fetch cannot (https: without fetch TLS).
 */
export function fetchInit(url: string, tls: () => FetchTls): RequestInit | undefined {
  const protocol = new URL(url).protocol;
  if (protocol === "http:") return {};
  return protocol === "https:" ? fetchTlsInit(tls()) : undefined;
}

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
    response = await fetch(target.url, { ...target.init, method: "POST", headers, body, signal });
  } catch (error) {
    return { status: retryableNetworkError(error) ? "retryable" : "failure", error: asError(error) };
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

// The timeout, an error with one of those codes, or one with no code at all (Deno's fetch says "fetch
// failed" for a refused connection too) is tried again, as the SDK tries its network errors again.
function retryableNetworkError(error: unknown): boolean {
  if (error instanceof Error && error.name === "TimeoutError") return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code !== "string" || RETRYABLE_CODES.has(code);
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
