// What the steps of a call work with, one object per client, reached from each call (`call.client`)
// as undici's interceptors read a request's options: the client's settings, its cookie jar and
// pools, and whether it may still start anything. The steps themselves hold nothing of a client
// and are shared by all of them (pipeline.ts): at 1,000 users an object per client and step was
// another memory load per request; a few shared ones stay in the cache.
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { settle } from "./catch-response.ts";
import type { CookieJar } from "./cookies.ts";
import { abortError, HttpError } from "./errors.ts";
import type { Http2Mode } from "./options.ts";
import type { Pool } from "./pool.ts";
import type { Pools } from "./pools.ts";
import type { Origin } from "./request.ts";
import type { HttpResponse } from "./response.ts";

export interface ClientStateInit {
  readonly recorder: Recorder;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  readonly jar: CookieJar;
  readonly pools: Pools;
  readonly storeCookies: boolean;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
  /** Sent with every request (redirect hops are built with them too). */
  readonly headers: Readonly<Record<string, string>>;
  readonly http2: Http2Mode;
  /** Verify HTTPS certificates (HTTP/2 connections; the pools have their own). */
  readonly rejectUnauthorized: boolean;
}

/** The client's HTTP/2 connections as the client sees them: counted and closed (h2/sessions.ts, which names calls: a cycle here). */
export interface H2Connections {
  readonly size: number;
  destroyAll(reason: unknown): void;
}

export class ClientState {
  readonly recorder: Recorder;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  readonly jar: CookieJar;
  readonly pools: Pools;
  readonly storeCookies: boolean;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly http2: Http2Mode;
  readonly rejectUnauthorized: boolean;
  /** HTTP/2 connections, made by the first HTTP/2 call (connect.ts: an H2Sessions). */
  h2: H2Connections | undefined;
  /** The user was stopped (its signal fired): a response that completes now still belongs to a stopped user. */
  stopped = false;
  /** The user was killed (client.kill): until its task ends, the task may start no call (killReason why). */
  killed = false;
  killReason: unknown;
  closed = false;
  /** catchResponse calls not yet recorded (made on first use). */
  pending: HttpResponse[] | undefined;
  // The last hop's origin and its pool (connect.ts): a user's calls mostly go to one origin, and a
  // field beats a Map lookup by its key string.
  lastOrigin: Origin | undefined;
  lastPool: Pool | undefined;

  constructor(init: ClientStateInit) {
    this.recorder = init.recorder;
    this.clock = init.clock;
    this.signal = init.signal;
    this.jar = init.jar;
    this.pools = init.pools;
    this.storeCookies = init.storeCookies;
    this.maxRedirects = init.maxRedirects;
    this.maxBodyBytes = init.maxBodyBytes;
    this.headers = init.headers;
    this.http2 = init.http2;
    this.rejectUnauthorized = init.rejectUnauthorized;
    this.stopped = init.signal?.aborted === true;
  }

  /**
   * Throws when nothing new may start: the client was closed, the user stopped, or it was killed
   * and `user` is still in the task that was running (its onStop, where no task runs, may call).
   */
  stillRunning(what: string, user?: { readonly task: string | null }): void {
    if (this.closed) throw new HttpError("ECLOSED", `${what} on an HttpClient that was already closed`);
    if (this.signal?.aborted) throw abortError(this.signal.reason);
    if (this.killed && user !== undefined && user.task !== null) throw abortError(this.killReason);
  }

  /** Records the catchResponse calls left unmarked by the default rule (Locust's with-block end). */
  settle(): void {
    if (this.pending !== undefined && this.pending.length > 0) settle(this.pending);
  }
}
