// The HTTP client a simulated user's tasks call. Like Locust's HttpSession, every call records
// itself (method, name, latency, length) and network errors resolve as status 0 instead of throwing.
// A call is one dispatch wrapped in steps, each in its own file (dispatch.ts, after undici's
// interceptors): the client settles earlier catchResponse calls, starts the call (call.ts: clock,
// deadline, the first request's bytes from head-cache), and dispatches it through decode, redirect,
// cookies and retry to a pooled connection (connect.ts); the outermost handler records (finish.ts).
import type { Clock } from "../clock.ts";
import { Call, type CallSource } from "./call.ts";
import { CookieStep } from "./cookie-step.ts";
import { CookieJar } from "./cookies.ts";
import { maskCredentials } from "./credentials.ts";
import { Connect } from "./connect.ts";
import { Decompress } from "./decode.ts";
import { compose, type Dispatcher, type Step } from "./dispatch.ts";
import { abortError, HttpError } from "./errors.ts";
import { Finish } from "./finish.ts";
import { HeadCache, isPlain } from "./head-cache.ts";
import { settingsOf, type HttpClientOptions, type RequestOptions } from "./options.ts";
import { Pools } from "./pools.ts";
import { FollowRedirects } from "./redirect.ts";
import type { Prepared } from "./request.ts";
import type { HttpResponse } from "./response.ts";
import { RetryStale } from "./retry.ts";

export type { HttpClientOptions, RequestOptions } from "./options.ts";

const NO_OPTIONS: RequestOptions = Object.freeze({});

/**
 * HTTP/1.1 client with keep-alive, one per simulated user.
 *
 * With `catchResponse: true` a response is recorded when the caller calls `success()` or
 * `failure()`; if it calls neither, the response is recorded by the default rule (status >= 400
 * or a network error is a failure) when this client starts its next request or is closed.
 */
export class HttpClient implements CallSource {
  /** This user's cookies: `get(name, url?)`, `set(name, value, { domain, path })`, `clear()`. */
  readonly cookies: CookieJar;
  /** @internal The clock latency is reported on (CallSource). */
  readonly clock: Clock;
  /** @internal The default bound on a call (CallSource). */
  readonly timeoutMs: number;
  private readonly user: { readonly task: string | null } | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly heads: HeadCache;
  private readonly pools: Pools;
  private readonly dispatcher: Dispatcher;
  private readonly finish: Finish;
  // The last plain call's first request (a load loop passes the same strings): fields of the
  // client it touches anyway, where at 1,000 users another object would be another memory load.
  private lastUrl: string | undefined;
  private lastMethod: string | undefined;
  private lastFirst: Prepared | undefined;
  private closed = false;
  private nextResolve: (response: HttpResponse) => void = () => {}; // set by takeSettlers
  private nextReject: (reason: unknown) => void = () => {};

  constructor(options: HttpClientOptions) {
    this.user = options.user;
    this.signal = options.signal;
    const settings = settingsOf(options);
    this.clock = settings.clock;
    this.timeoutMs = settings.timeoutMs;
    this.heads = new HeadCache(options.baseUrl, settings.headers);
    this.cookies = new CookieJar(() => settings.clock.epoch(), this.heads.base);
    this.pools = new Pools(
      { maxBodyBytes: settings.maxBodyBytes, rejectUnauthorized: settings.rejectUnauthorized },
      settings.maxIdlePerOrigin,
    );
    this.finish = new Finish(options.recorder, settings.clock, settings.maxBodyBytes, this.signal);
    const steps: Step[] = [
      new FollowRedirects({ maxRedirects: settings.maxRedirects, headers: settings.headers, stillRunning: this.stillRunning }),
      new CookieStep(this.cookies, settings.storeCookies),
      new RetryStale(),
    ];
    if (settings.decompress) steps.unshift(new Decompress(settings.maxBodyBytes));
    this.dispatcher = compose(this.finish, steps, new Connect(this.pools));
    this.finish.stopped = this.signal?.aborted === true;
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
    this.finish.settle();
    this.pools.destroyAll(new HttpError("ECLOSED", "the HTTP client was closed while this request was in flight"));
    this.pools.clear();
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
    this.finish.settle();
    this.pools.destroyAll(abortError(reason));
  }

  // A call is one promise: the connection tells the call from within the socket's event, and the
  // steps carry it on at once. An async layer or a promise per hop would cost on every call (bench/NOTES.md).
  private send(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const promise = new Promise<HttpResponse>(this.takeSettlers);
    const resolve = this.nextResolve;
    const reject = this.nextReject;
    try {
      this.finish.settle();
      if (this.closed || this.finish.stopped) this.stillRunning(`${method} ${maskCredentials(url)}`);
      const call = new Call(this, { method, url, options, task: this.user?.task ?? undefined, resolve, reject });
      this.dispatcher.dispatch(call);
    } catch (error) {
      reject(error);
    }
    return promise;
  }

  // The promise's executor, made once: it hands send() the call's resolve and reject.
  private readonly takeSettlers = (resolve: (response: HttpResponse) => void, reject: (reason: unknown) => void): void => {
    this.nextResolve = resolve;
    this.nextReject = reject;
  };

  /** Throws when nothing new may start: the client was closed or the user stopped. */
  private readonly stillRunning = (what: string): void => {
    if (this.closed) throw new HttpError("ECLOSED", `${what} on an HttpClient that was already closed`);
    if (this.signal?.aborted) throw abortError(this.signal.reason);
  };

  /** @internal The first request of a call (CallSource): the last one again, or from the head cache. */
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

  private readonly onAbort = (): void => {
    this.finish.stopped = true;
    this.interrupt(this.signal?.reason);
  };
}
