// What a client and a call can be told, and the client's settings once defaults are applied.
import type { TracingSlot } from "./tracing.ts";
import { systemClock, type Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { HttpError } from "./errors.ts";
import { MAX_IDLE_PER_ORIGIN } from "./pool.ts";

/** What Accept-Encoding says when decompression is on (decode.ts decodes these) (requests sends the same without brotli). */
export const ACCEPT_ENCODING = "gzip, deflate";

export interface HttpClientOptions {
  /**
   * Prefix for relative URLs; joined as a string like Locust's `host` ("http://h/api" + "/x").
   * Credentials in it (`http://user:pass@h`) are sent as Basic auth with every request, as
   * Locust's HttpSession does, and never appear in names, errors or `response.url`.
   */
  baseUrl?: string;
  recorder: Recorder;
  /**
   * The user's current task (null between tasks): a call records under the task it started in.
   * Its response is recorded from the socket's event, where no task's async context is current.
   */
  user?: { readonly task: string | null };
  /** The user's signal: aborting rejects in-flight calls (unrecorded) and closes the sockets. */
  signal?: AbortSignal;
  /** Bound on each call (connect, response, redirects included); default 60000; 0 or Infinity: none. */
  timeoutMs?: number;
  /**
   * Bodies above this are drained and counted but not kept; default 16 MiB. It bounds the
   * decompressed size too, so a zip bomb costs at most this much memory.
   */
  maxBodyBytes?: number;
  /** Redirects followed before the call fails with EREDIRECT; default 5. */
  maxRedirects?: number;
  /** Reports latency; deadlines always use real time. */
  clock?: Clock;
  /** Verify HTTPS certificates; default true. */
  rejectUnauthorized?: boolean;
  /** Sent with every request; per-call headers override them by name. */
  headers?: Record<string, string>;
  /**
   * Keep the cookies responses set (redirect hops included) and send them back where they match,
   * like requests.Session; default true. With false, Set-Cookie is ignored and only cookies the
   * task puts in `client.cookies` are sent. A Cookie header given by the caller is always sent as
   * given, instead of the jar's.
   */
  cookies?: boolean;
  /**
   * Send `Accept-Encoding: gzip, deflate` and decode such bodies, like requests; default true.
   * Then `text()`/`json()`/`bytes()` and the recorded length are the decoded body, and a body
   * that does not decode is a failure with code EPROTO. With false no Accept-Encoding is sent
   * (unless in `headers`) and bodies are returned as received.
   */
  decompress?: boolean;
  /**
   * Idle keep-alive sockets kept per origin (scheme, host, port); default 10, like requests'
   * `pool_maxsize`. A task that sends up to this many requests at once (`Promise.all`) reuses the
   * same sockets batch after batch; above it, the sockets past the bound close when they come back.
   */
  maxIdlePerOrigin?: number;
  /**
   * HTTP/2 (docs/http2.md): `true` asks for it over TLS by ALPN (`h2`, else HTTP/1.1 as without
   * the option); `"h2c"` also speaks it over cleartext `http://`, with prior knowledge. All of a
   * user's calls to one origin are streams on one connection. Default false; a call may say otherwise.
   */
  http2?: Http2Mode;
  /** @internal Where the telemetry's tracer is found (src/otel/); none by default. */
  tracing?: TracingSlot;
}

/** false: HTTP/1.1; true: HTTP/2 over TLS by ALPN; "h2c": also cleartext HTTP/2 with prior knowledge. */
export type Http2Mode = boolean | "h2c";

export interface RequestOptions {
  /** Stats entry name; defaults to the path and query of the URL requested, as Locust names it. */
  name?: string;
  headers?: Record<string, string>;
  /** Request body; wins over `json`. */
  body?: string | Uint8Array;
  /** Serialized as the body with `Content-Type: application/json`. */
  json?: unknown;
  /** Bound on this call; 0 or Infinity: none. */
  timeoutMs?: number;
  /** Record only when the caller calls response.success() or response.failure(). */
  catchResponse?: boolean;
  /** "manual" returns 3xx responses instead of following them; default "follow". */
  redirect?: "follow" | "manual";
  /** This call over HTTP/2 or not, whatever the client's `http2` says. */
  http2?: Http2Mode;
}

/** The client's options with their defaults applied. */
export interface Settings {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly clock: Clock;
  readonly rejectUnauthorized: boolean;
  /** Sent with every request, under the caller's headers; requests' defaults first. */
  readonly headers: Readonly<Record<string, string>>;
  readonly storeCookies: boolean;
  readonly decompress: boolean;
  readonly maxIdlePerOrigin: number;
  readonly http2: Http2Mode;
}

export function settingsOf(options: HttpClientOptions): Settings {
  const decompress = options.decompress ?? true;
  // requests.Session's default headers (User-Agent is ours, set in prepare()); the caller's
  // headers come after them, so an Accept-Encoding of theirs replaces it.
  const defaults: Record<string, string> = decompress ? { "Accept-Encoding": ACCEPT_ENCODING } : {};
  defaults.Accept = "*/*";
  defaults.Connection = "keep-alive";
  return {
    timeoutMs: checkTimeout(options.timeoutMs ?? 60_000),
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 5,
    clock: options.clock ?? systemClock,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    headers: { ...defaults, ...options.headers },
    storeCookies: options.cookies ?? true,
    decompress,
    maxIdlePerOrigin: checkMaxIdle(options.maxIdlePerOrigin ?? MAX_IDLE_PER_ORIGIN),
    http2: checkHttp2(options.http2 ?? false),
  };
}

/** Idle sockets per origin: a whole number >= 1 (one, at least, so keep-alive works at all). */
export function checkMaxIdle(count: number): number {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new HttpError("EINVALIDOPTION", `maxIdlePerOrigin must be a whole number >= 1 (default 10), not ${String(count)}`);
  return count;
}

export function checkHttp2(mode: unknown): Http2Mode {
  if (mode === true || mode === false || mode === "h2c") return mode;
  throw new HttpError(
    "EINVALIDOPTION",
    `http2 must be true (over TLS by ALPN), "h2c" (cleartext too) or false, not ${JSON.stringify(mode)}`,
  );
}

/** A timeout in ms; 0 and Infinity mean none (no timer at all). */
export function checkTimeout(ms: number): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0)
    throw new HttpError("EINVALIDOPTION", `timeoutMs must be a number of milliseconds >= 0 (0 or Infinity for none), not ${String(ms)}`);
  return ms === 0 ? Infinity : ms;
}
