// The HTTP client a simulated user's tasks call. Like Locust's HttpSession, every call records
// itself (method, name, latency, length) and network errors resolve as status 0 instead of throwing.
// A call is one dispatch wrapped in steps, each in its own file (dispatch.ts, after undici's
// interceptors): the client settles earlier catchResponse calls, starts the call (call.ts: clock,
// deadline, the first request's bytes from head-cache), and dispatches it through decode, redirect,
// cookies and retry to a pooled connection (pipeline.ts); the outermost handler records (finish.ts).
import type { Clock } from "../clock.ts";
import { Call, type CallInit, type CallSource } from "./call.ts";
import { ClientState } from "./client-state.ts";
import { CookieJar } from "./cookies.ts";
import { maskCredentials } from "./credentials.ts";
import type { Dispatcher } from "./dispatch.ts";
import { abortError, HttpError } from "./errors.ts";
import { HeadCache, isPlain } from "./head-cache.ts";
import { settingsOf, type HttpClientOptions, type RequestOptions } from "./options.ts";
import { DECODING, RAW, TRACED_DECODING, TRACED_RAW } from "./pipeline.ts";
import { Pools } from "./pools.ts";
import type { Prepared } from "./request.ts";
import type { HttpResponse } from "./response.ts";
import { TracedCall } from "./traced-call.ts";
import { TracedSource } from "./traced-hop.ts";
import { traceparentText } from "./traceparent.ts";
import { NO_TRACING, type CallTracer, type TracingSlot } from "./tracing.ts";

export type { HttpClientOptions, RequestOptions } from "./options.ts";

const NO_OPTIONS: RequestOptions = Object.freeze({});

// What dispatch() starts a call with, one record for every client: filled and read by the Call
// at once, within one synchronous dispatch. A literal per call was one more object per request,
// and the promise's settlers kept on the client put every client in the collector's remembered
// set (an old object written with a new one: revisited at each eden collection; bench/NOTES.md).
const NEXT: { -readonly [K in keyof CallInit]: CallInit[K] } = {
  method: "",
  url: "",
  options: NO_OPTIONS,
  task: undefined,
  resolve: () => {},
  reject: () => {},
};

// The promise's executor: it hands dispatch() the call's resolve and reject.
const takeSettlers = (resolve: (response: HttpResponse) => void, reject: (reason: unknown) => void): void => {
  NEXT.resolve = resolve;
  NEXT.reject = reject;
};

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
  /** @internal What the steps of its calls work with (CallSource). */
  readonly state: ClientState;
  /** @internal The clock latency is reported on (CallSource). */
  readonly clock: Clock;
  /** @internal The default bound on a call (CallSource). */
  readonly timeoutMs: number;
  private readonly user: { readonly task: string | null } | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly heads: HeadCache;
  private readonly pipeline: Dispatcher;
  private readonly tracedPipeline: Dispatcher;
  private readonly tracing: TracingSlot;
  // The last plain call's first request (a load loop passes the same strings): fields of the
  // client it touches anyway, where at 1,000 users another object would be another memory load.
  private lastUrl: string | undefined;
  private lastMethod: string | undefined;
  private lastFirst: Prepared | undefined;
  private tracedSource: TracedSource | undefined; // made by the first sampled plain call

  constructor(options: HttpClientOptions) {
    this.user = options.user;
    this.signal = options.signal;
    const settings = settingsOf(options);
    this.clock = settings.clock;
    this.timeoutMs = settings.timeoutMs;
    this.heads = new HeadCache(options.baseUrl, settings.headers);
    this.cookies = new CookieJar(() => settings.clock.epoch(), this.heads.base);
    const pools = new Pools(
      { maxBodyBytes: settings.maxBodyBytes, rejectUnauthorized: settings.rejectUnauthorized },
      settings.maxIdlePerOrigin,
    );
    this.state = new ClientState({ ...settings, recorder: options.recorder, signal: this.signal, jar: this.cookies, pools });
    this.pipeline = settings.decompress ? DECODING : RAW;
    this.tracedPipeline = settings.decompress ? TRACED_DECODING : TRACED_RAW;
    this.tracing = options.tracing ?? NO_TRACING;
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
    const state = this.state;
    if (state.closed) return;
    state.closed = true;
    this.signal?.removeEventListener("abort", this.onAbort);
    state.settle();
    const closed = new HttpError("ECLOSED", "the HTTP client was closed while this request was in flight");
    state.pools.destroyAll(closed);
    state.h2?.destroyAll(closed);
    state.pools.clear();
    state.lastOrigin = state.lastPool = undefined;
  }

  /** Open sockets across all origins, idle or busy, HTTP/2 connections included. */
  get connectionCount(): number {
    return this.state.pools.sockets + (this.state.h2?.size ?? 0);
  }

  /**
   * Aborts the calls in flight (they reject with an AbortError and are not recorded) and drops
   * the sockets, but leaves the client usable: a killed user's onStop still needs it. Calls that
   * completed unmarked are recorded by the default rule first, as when the client closes.
   */
  interrupt(reason?: unknown): void {
    this.state.settle();
    const aborted = abortError(reason);
    this.state.pools.destroyAll(aborted);
    this.state.h2?.destroyAll(aborted);
  }

  /** The user was killed: interrupt(), and its task (`user.task` set) may start no call; its onStop may. */
  kill(reason?: unknown): void {
    this.state.killed = true;
    this.state.killReason = reason;
    this.interrupt(reason);
  }

  // A call is one promise: the connection tells the call from within the socket's event, and the
  // steps carry it on at once. An async layer or a promise per hop would cost on every call (bench/NOTES.md).
  private send(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const tracer = this.tracing.tracer; // telemetry off: this read and the branch are all it costs (tracing.ts)
    return tracer === undefined || !tracer.sample()
      ? this.dispatch(method, url, options)
      : this.dispatchTraced(method, url, options, tracer);
  }

  private dispatch(method: string, url: string, options: RequestOptions): Promise<HttpResponse> {
    const state = this.state;
    try {
      state.settle();
      if (state.closed || state.stopped || state.killed) state.stillRunning(`${method} ${maskCredentials(url)}`, this.user);
    } catch (error) {
      return Promise.reject(error);
    }
    // Nothing runs between the executor's filling NEXT and the Call's reading it.
    const promise = new Promise<HttpResponse>(takeSettlers);
    const reject = NEXT.reject;
    NEXT.method = method;
    NEXT.url = url;
    NEXT.options = options;
    NEXT.task = this.user?.task ?? undefined;
    try {
      this.pipeline.dispatch(new Call(this, NEXT));
    } catch (error) {
      reject(error);
    }
    return promise;
  }

  // dispatch() for a sampled call (the tracer holds its ids): a plain call takes its cached bytes
  // with the traceparent written in (traced-hop.ts); a call with headers of its own gets one more
  // header (its own traceparent wins). The traced pipeline ends the span (traced-finish.ts); a
  // call that fails before it gets there ends it here.
  private dispatchTraced(method: string, url: string, options: RequestOptions, tracer: CallTracer): Promise<HttpResponse> {
    const state = this.state;
    try {
      state.settle();
      if (state.closed || state.stopped || state.killed) state.stillRunning(`${method} ${maskCredentials(url)}`, this.user);
    } catch (error) {
      // A call refused because its user was stopped or killed is never made nor recorded: no span either.
      if (!(state.closed || state.stopped || state.killed)) failedBeforeCall(tracer, method, options, error);
      return Promise.reject(error);
    }
    const promise = new Promise<HttpResponse>(takeSettlers);
    const reject = NEXT.reject;
    let call: TracedCall | undefined;
    try {
      let source: CallSource = this;
      let sent = options;
      if (isPlain(options)) {
        this.tracedSource ??= new TracedSource(this);
        this.tracedSource.ids = tracer;
        source = this.tracedSource;
      } else sent = { ...options, headers: { traceparent: traceparentText(tracer), ...options.headers } };
      NEXT.method = method;
      NEXT.url = url;
      NEXT.options = sent;
      NEXT.task = this.user?.task ?? undefined;
      call = new TracedCall(source, NEXT, tracer);
      if (source === this.tracedSource && this.tracedSource.lent) call.lender = this.tracedSource;
      this.tracedPipeline.dispatch(call);
    } catch (error) {
      if (call === undefined) failedBeforeCall(tracer, method, options, error);
      else call.failSpan(error);
      reject(error);
    }
    return promise;
  }

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
    this.state.stopped = true;
    this.interrupt(this.signal?.reason);
  };
}

// A sampled call that failed before it was made (a malformed URL): its span still ends, as an error.
function failedBeforeCall(tracer: CallTracer, method: string, options: RequestOptions, reason: unknown): void {
  const { t0, t1, t2, t3, s0, s1 } = tracer;
  tracer.failed({ t0, t1, t2, t3, s0, s1, method, options, started: performance.now() }, reason);
}
