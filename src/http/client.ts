// The HTTP client a simulated user's tasks call. Like Locust's HttpSession, every call records
// itself (method, name, latency, length) and network errors resolve as status 0 instead of throwing.
// A call is a short pipeline of steps, each in its own file: settle earlier catchResponse calls
// (catch-response), start the clock and deadline (call), take the request bytes (head-cache),
// follow redirects (redirect), each hop with cookies, a pooled socket and the stale-socket retry
// (exchange, retry), decompress (decode), then record (response).
import type { Recorder } from "../stats/recorder.ts";
import { startCall, type Call, type CallOwner } from "./call.ts";
import { settle } from "./catch-response.ts";
import { CookieJar } from "./cookies.ts";
import { maskCredentials } from "./credentials.ts";
import { decodeBody } from "./decode.ts";
import { abortError, HttpError } from "./errors.ts";
import { exchange, keepCookies, retry } from "./exchange.ts";
import { HeadCache, isPlain } from "./head-cache.ts";
import { settingsOf, type HttpClientOptions, type RequestOptions, type Settings } from "./options.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Pool } from "./pool.ts";
import { Pools } from "./pools.ts";
import { isFinal, Redirects } from "./redirect.ts";
import type { Origin, Prepared } from "./request.ts";
import { HttpResponse } from "./response.ts";

export type { HttpClientOptions, RequestOptions } from "./options.ts";

const NO_OPTIONS: RequestOptions = Object.freeze({});

/**
 * HTTP/1.1 client with keep-alive, one per simulated user.
 *
 * With `catchResponse: true` a response is recorded when the caller calls `success()` or
 * `failure()`; if it calls neither, the response is recorded by the default rule (status >= 400
 * or a network error is a failure) when this client starts its next request or is closed.
 */
export class HttpClient implements CallOwner {
  /** This user's cookies: `get(name, url?)`, `set(name, value, { domain, path })`, `clear()`. */
  readonly cookies: CookieJar;
  private readonly recorder: Recorder;
  private readonly user: { readonly task: string | null } | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly settings: Settings;
  private readonly clock: Settings["clock"]; // the two settings every call reads, kept at hand
  private readonly timeoutMs: number;
  private readonly storeCookies: boolean;
  private readonly heads: HeadCache;
  private readonly pools: Pools;
  private readonly redirects: Redirects;
  private pending: HttpResponse[] | undefined; // catchResponse calls not yet recorded (made on first use)
  // What the hot path reads lives here, in the client it touches anyway: at 1,000 users every other
  // object a request reaches is out of the cache by its next request (the signal's state, the
  // pool map and its key strings each were a memory load: bench/workers/README.md).
  private stopped = false; // the signal fired (onAbort)
  private lastOrigin: Origin | undefined; // the pool of the last hop's origin
  private lastPool: Pool | undefined;
  private lastUrl: string | undefined; // the last plain call's first request (a loop passes the same strings)
  private lastMethod: string | undefined;
  private lastFirst: Prepared | undefined;
  private closed = false;
  private nextResolve: (response: HttpResponse) => void = () => {}; // set by takeSettlers
  private nextReject: (reason: unknown) => void = () => {};

  constructor(options: HttpClientOptions) {
    this.recorder = options.recorder;
    this.user = options.user;
    this.signal = options.signal;
    const settings = settingsOf(options);
    this.settings = settings;
    this.clock = settings.clock;
    this.timeoutMs = settings.timeoutMs;
    this.heads = new HeadCache(options.baseUrl, settings.headers);
    this.cookies = new CookieJar(() => settings.clock.epoch(), this.heads.base);
    this.pools = new Pools(
      { maxBodyBytes: settings.maxBodyBytes, rejectUnauthorized: settings.rejectUnauthorized },
      settings.maxIdlePerOrigin,
    );
    this.storeCookies = settings.storeCookies;
    this.redirects = new Redirects(settings.maxRedirects, settings.headers, this.stillRunning);
    this.stopped = this.signal?.aborted === true;
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
    if (this.pending !== undefined) settle(this.pending);
    this.pools.destroyAll(new HttpError("ECLOSED", "the HTTP client was closed while this request was in flight"));
    this.pools.clear();
    this.lastOrigin = this.lastPool = undefined;
  }

  /** Open sockets across all origins, idle or busy. */
  get connectionCount(): number {
    return this.pools.sockets;
  }

  /**
   * Aborts the calls in flight (they reject with an AbortError and are not recorded) and drops
   * the sockets, but leaves the client usable: a killed user's onStop still needs it. Calls that
   * completed unmarked are recorded by the default rule first, as when the client closes.
   */
  interrupt(reason?: unknown): void {
    if (this.pending !== undefined) settle(this.pending);
    this.pools.destroyAll(abortError(reason));
  }

  // The steps are plain calls over state the client holds itself, and a call is one promise: the
  // connection tells the call (a CallOwner's waiter) from within the socket's event, and the
  // client carries it on at once. An async layer or an object per step would cost on every call
  // (bench/NOTES.md); an async send() and a promise per hop were two promises per request.
  private send(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const promise = new Promise<HttpResponse>(this.takeSettlers);
    const resolve = this.nextResolve;
    const reject = this.nextReject;
    try {
      if (this.pending !== undefined && this.pending.length > 0) settle(this.pending);
      if (this.closed || this.stopped) this.stillRunning(`${method} ${maskCredentials(url)}`);
      const call = startCall(this, this.clock, method, url, options, this.timeoutMs, this, resolve, reject, this.user?.task ?? undefined);
      exchange(this.poolOf(call.hop.origin), this.cookies, call);
    } catch (error) {
      reject(error);
    }
    return promise;
  }

  /** @internal A hop's response (CallOwner): the next hop, or the call's answer. */
  hopResponded(call: Call, outcome: RawResponse | HttpError): void {
    try {
      if (this.storeCookies) keepCookies(this.cookies, outcome, call.hop);
      if (!isFinal(call, outcome)) {
        const final = this.redirects.after(call, outcome);
        if (final === undefined) return exchange(this.poolOf(call.hop.origin), this.cookies, call);
        outcome = final;
      }
      // A response that completed just as the user was stopped still belongs to a stopped user.
      if (this.stopped) throw abortError(this.signal?.reason);
      call.resolve(this.record(call, outcome instanceof HttpError ? outcome : this.decompress(outcome, call)));
    } catch (error) {
      call.reject(error);
    }
  }

  /** @internal A hop failed: the stale-socket retry (rare: a promise is fine here), then as above. */
  hopFailed(call: Call, failure: unknown): void {
    let retried: Promise<RawResponse | HttpError>;
    try {
      retried = retry(this.poolOf(call.hop.origin), this.cookies, failure, call);
    } catch (error) {
      return call.reject(error);
    }
    retried.then((outcome) => this.hopResponded(call, outcome), call.reject);
  }

  // The promise's executor, made once: it hands send() the call's resolve and reject.
  private readonly takeSettlers = (resolve: (response: HttpResponse) => void, reject: (reason: unknown) => void): void => {
    this.nextResolve = resolve;
    this.nextReject = reject;
  };

  /** Decoding is part of the response time, as in requests, which decodes before Locust stops the clock. */
  private decompress(raw: RawResponse, call: Call): RawResponse | HttpError {
    if (!raw.encoded || !this.settings.decompress) return raw;
    return decodeBody(raw, this.settings.maxBodyBytes, call.hop.href) ?? raw;
  }

  private record(call: Call, outcome: RawResponse | HttpError): HttpResponse {
    const elapsed = this.clock.now() - call.start;
    const name = call.options.name ?? call.first.target;
    const failed = outcome instanceof HttpError;
    const raw = failed ? undefined : outcome;
    const error = failed ? outcome : undefined;
    const response = new HttpResponse(
      raw,
      error,
      call.hop.href,
      elapsed,
      call.method,
      name,
      this.recorder,
      this.settings.maxBodyBytes,
      call.task,
    );
    if (call.options.catchResponse === true) {
      this.pending ??= [];
      this.pending.push(response);
    } else response.recordByDefault();
    return response;
  }

  /** Throws when nothing new may start: the client was closed or the user stopped. */
  private readonly stillRunning = (what: string): void => {
    if (this.closed) throw new HttpError("ECLOSED", `${what} on an HttpClient that was already closed`);
    if (this.signal?.aborted) throw abortError(this.signal.reason);
  };

  /** @internal The first request of a call (startCall): the last one again, or from the head cache. */
  firstHop(method: string, url: string, options: RequestOptions): Prepared {
    if (url === this.lastUrl && method === this.lastMethod && isPlain(options)) return this.lastFirst as Prepared;
    const first = this.heads.first(method, url, options);
    if (isPlain(options)) {
      this.lastUrl = url;
      this.lastMethod = method;
      this.lastFirst = first;
    }
    return first;
  }

  private poolOf(origin: Origin): Pool {
    if (origin === this.lastOrigin) return this.lastPool as Pool;
    const pool = this.pools.for(origin);
    this.lastOrigin = origin;
    this.lastPool = pool;
    return pool;
  }

  private readonly onAbort = (): void => {
    this.stopped = true;
    this.interrupt(this.signal?.reason);
  };
}
