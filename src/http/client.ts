// The HTTP client a simulated user's tasks call. Like Locust's HttpSession, every call records
// itself (method, name, latency, length) and network errors resolve as status 0 instead of throwing.
import { systemClock, type Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { CookieJar, type CookieTarget } from "./cookies.ts";
import { ACCEPT_ENCODING, decodeBody } from "./decode.ts";
import { abortError, ConnectionFailure, HttpError } from "./errors.ts";
import type { RawResponse } from "./parser.ts";
import { Pool } from "./pool.ts";
import { followRedirect, isRedirect } from "./redirect.ts";
import { encodeBody, prepare, resolveUrl, withCookie, type Origin, type Prepared } from "./request.ts";
import { headerValues, HttpResponse } from "./response.ts";

export interface HttpClientOptions {
  /** Prefix for relative URLs; joined as a string like Locust's `host` ("http://h/api" + "/x"). */
  baseUrl?: string;
  recorder: Recorder;
  /** The user's signal: aborting rejects in-flight calls (unrecorded) and closes the sockets. */
  signal?: AbortSignal;
  /** Bound on each call (connect, response, redirects included); default 60000. */
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
}

export interface RequestOptions {
  /** Stats entry name; defaults to the URL as passed. */
  name?: string;
  headers?: Record<string, string>;
  /** Request body; wins over `json`. */
  body?: string | Uint8Array;
  /** Serialized as the body with `Content-Type: application/json`. */
  json?: unknown;
  timeoutMs?: number;
  /** Record only when the caller calls response.success() or response.failure(). */
  catchResponse?: boolean;
  /** "manual" returns 3xx responses instead of following them; default "follow". */
  redirect?: "follow" | "manual";
}

const NO_OPTIONS: RequestOptions = Object.freeze({});
/** Serialized request heads kept per client; cleared when full (URLs with ids would grow it forever). */
const MAX_CACHED_REQUESTS = 1024;

/**
 * HTTP/1.1 client with keep-alive, one per simulated user.
 *
 * With `catchResponse: true` a response is recorded when the caller calls `success()` or
 * `failure()`; if it calls neither, the response is recorded by the default rule (status >= 400
 * or a network error is a failure) when this client starts its next request or is closed.
 */
export class HttpClient {
  /** This user's cookies: `get(name, url?)`, `set(name, value, { domain, path })`, `clear()`. */
  readonly cookies: CookieJar;
  private readonly recorder: Recorder;
  private readonly baseUrl: string | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxRedirects: number;
  private readonly clock: Clock;
  private readonly rejectUnauthorized: boolean;
  private readonly defaultHeaders: Readonly<Record<string, string>>;
  private readonly storeCookies: boolean;
  private readonly decompress: boolean;
  private readonly pools = new Map<string, Pool>();
  private readonly cache = new Map<string, Prepared>();
  private pending: HttpResponse[] = [];
  private closed = false;

  constructor(options: HttpClientOptions) {
    this.recorder = options.recorder;
    this.baseUrl = options.baseUrl?.replace(/\/+$/, "");
    this.signal = options.signal;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.clock = options.clock ?? systemClock;
    this.rejectUnauthorized = options.rejectUnauthorized ?? true;
    this.decompress = options.decompress ?? true;
    // Ahead of the caller's headers, so an Accept-Encoding of theirs replaces it.
    this.defaultHeaders = this.decompress ? { "Accept-Encoding": ACCEPT_ENCODING, ...options.headers } : { ...options.headers };
    this.storeCookies = options.cookies ?? true;
    this.cookies = new CookieJar(() => this.clock.epoch(), this.baseUrl);
    this.signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  get(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("GET", url, options ?? NO_OPTIONS);
  }
  post(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("POST", url, options ?? NO_OPTIONS);
  }
  put(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("PUT", url, options ?? NO_OPTIONS);
  }
  patch(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("PATCH", url, options ?? NO_OPTIONS);
  }
  delete(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("DELETE", url, options ?? NO_OPTIONS);
  }
  head(url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send("HEAD", url, options ?? NO_OPTIONS);
  }
  request(method: string, url: string, options?: RequestOptions): Promise<HttpResponse> {
    return this.send(method.toUpperCase(), url, options ?? NO_OPTIONS);
  }

  /** Records pending catchResponse calls by the default rule and destroys every socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    this.settlePending();
    const reason = new HttpError("ECLOSED", "the HTTP client was closed while this request was in flight");
    for (const pool of this.pools.values()) pool.destroyAll(reason);
    this.pools.clear();
  }

  /** Open sockets across all origins, idle or busy. */
  get connectionCount(): number {
    let count = 0;
    for (const pool of this.pools.values()) count += pool.size;
    return count;
  }

  private async send(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    if (this.pending.length > 0) this.settlePending();
    if (this.closed) throw new HttpError("ECLOSED", `${method} ${url} on an HttpClient that was already closed`);
    if (this.signal?.aborted) throw abortError(this.signal.reason);
    const start = this.clock.now();
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    // Deadlines are real time; with the system clock the start time already is (saves a now()).
    const deadline = (this.clock === systemClock ? start : performance.now()) + timeoutMs;
    let prepared = this.prepareFirst(method, url, options);
    let raw: RawResponse | undefined;
    let error: HttpError | undefined;
    for (let hops = 0; ; hops++) {
      const pool = this.poolFor(prepared.origin);
      const connection = pool.acquire();
      // An empty jar costs one comparison: the cached request bytes go out as they are.
      const wire = this.cookies.size === 0 || prepared.explicitCookie ? prepared.wire : this.cookieWire(prepared);
      let outcome: RawResponse | HttpError;
      try {
        outcome = await connection.send(wire, prepared.noResponseBody, deadline, timeoutMs);
      } catch (failure) {
        outcome = await this.retry(failure, pool, wire, prepared.noResponseBody, deadline, timeoutMs);
      }
      if (outcome instanceof HttpError) {
        error = outcome;
        raw = undefined;
        break;
      }
      raw = outcome;
      if (raw.setCookie && this.storeCookies) this.cookies.store(headerValues(raw.head(), "set-cookie"), targetOf(prepared));
      if (options.redirect === "manual" || !isRedirect(raw.status)) break;
      const next = followRedirect(prepared, raw, this.defaultHeaders);
      if (next === undefined) break; // a 3xx without Location is the final answer, as in requests
      if (next instanceof HttpError || hops >= this.maxRedirects) {
        error = next instanceof HttpError ? next : new HttpError("EREDIRECT", `more than ${this.maxRedirects} redirects for ${url}, last to ${next.href}`);
        raw = undefined;
        break;
      }
      // Between hops the user may have been stopped or the client closed: start nothing new.
      if (this.closed) throw new HttpError("ECLOSED", `the HTTP client was closed while following redirects for ${url}`);
      if (this.signal?.aborted) throw abortError(this.signal.reason);
      prepared = next;
    }
    // A response that completed just as the user was stopped still belongs to a stopped user.
    if (this.signal?.aborted) throw abortError(this.signal.reason);
    if (raw !== undefined && raw.encoded && this.decompress) {
      // Decoding is part of the response time, as in requests, which decodes before Locust stops the clock.
      error = decodeBody(raw, this.maxBodyBytes, prepared.href);
      if (error !== undefined) raw = undefined;
    }
    const elapsed = this.clock.now() - start;
    const name = options.name ?? url;
    const response = new HttpResponse(raw, error, prepared.href, elapsed, method, name, this.recorder, this.maxBodyBytes);
    if (options.catchResponse === true) this.pending.push(response);
    else response.recordByDefault();
    return response;
  }

  /** A failed send: a stale reused socket is retried once on a fresh one; aborts propagate. */
  private async retry(
    failure: unknown,
    pool: Pool,
    wire: Uint8Array,
    noResponseBody: boolean,
    deadline: number,
    timeoutMs: number,
  ): Promise<RawResponse | HttpError> {
    if (!(failure instanceof ConnectionFailure)) throw failure; // aborted or closed: not a result
    if (!failure.retryable) return failure.error;
    try {
      return await pool.open().send(wire, noResponseBody, deadline, timeoutMs);
    } catch (second) {
      if (!(second instanceof ConnectionFailure)) throw second;
      return second.error;
    }
  }

  private prepareFirst(method: string, url: string, options: RequestOptions): Prepared {
    const plain = options.headers === undefined && options.body === undefined && options.json === undefined;
    const key = plain ? (method === "GET" ? url : `${method} ${url}`) : "";
    if (plain) {
      const hit = this.cache.get(key);
      if (hit !== undefined) return hit;
    }
    const body = encodeBody(options.body, options.json);
    const target = resolveUrl(url, this.baseUrl);
    const prepared = prepare(method, target, this.defaultHeaders, options.headers, body.bytes, body.contentType);
    if (plain) {
      if (this.cache.size >= MAX_CACHED_REQUESTS) this.cache.clear();
      this.cache.set(key, prepared);
    }
    return prepared;
  }

  /** The request bytes with the jar's cookies, remade only when the jar changed since last time. */
  private cookieWire(prepared: Prepared): Uint8Array {
    const jar = this.cookies;
    jar.expire();
    const cached = prepared.cookieWire;
    if (cached !== undefined && cached.version === jar.version) return cached.wire;
    const header = jar.header(targetOf(prepared));
    const wire = header === "" ? prepared.wire : withCookie(prepared, header);
    prepared.cookieWire = { version: jar.version, wire };
    return wire;
  }

  private poolFor(origin: Origin): Pool {
    let pool = this.pools.get(origin.key);
    if (pool === undefined) {
      pool = new Pool(origin, { maxBodyBytes: this.maxBodyBytes, rejectUnauthorized: this.rejectUnauthorized });
      this.pools.set(origin.key, pool);
    }
    return pool;
  }

  private settlePending(): void {
    const pending = this.pending;
    this.pending = [];
    for (const response of pending) response.recordByDefault();
  }

  /**
   * Aborts the calls in flight (they reject with an AbortError and are not recorded) and drops
   * the sockets, but leaves the client usable: a killed user's onStop still needs it.
   */
  interrupt(reason?: unknown): void {
    const error = abortError(reason);
    for (const response of this.pending) response.discard();
    this.pending = [];
    for (const pool of this.pools.values()) pool.destroyAll(error);
  }

  private readonly onAbort = (): void => this.interrupt(this.signal?.reason);
}

function targetOf(prepared: Prepared): CookieTarget {
  return { host: prepared.origin.host, path: prepared.path, secure: prepared.origin.tls };
}
