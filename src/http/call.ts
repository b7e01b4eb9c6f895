// One call of a task (a get(), a post()...) from its start to its recorded response. Making it
// starts the clock and the deadline; it travels down the pipeline (dispatch.ts) and is what its
// connection answers (ResponseWaiter), passing the answer to the handler of the hop in flight.
// One promise per call, the one the task awaits, and no promise or object per hop (at 1,000 users
// those were a quarter of the objects a request allocated: bench/workers/README.md).
import { systemClock, type Clock } from "../clock.ts";
import type { ClientState } from "./client-state.ts";
import type { ResponseWaiter } from "./connection.ts";
import { ConnectionFailure, type HttpError } from "./errors.ts";
import { checkTimeout, type RequestOptions } from "./options.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Prepared } from "./request.ts";
import type { HttpResponse } from "./response.ts";

/** What hears of a hop's outcome (undici's DispatchHandler, reduced to the three outcomes we have). */
export interface Handler {
  /** A complete response. */
  onResponse(call: Call, response: RawResponse): void;
  /**
   * A failure that is the call's result (recorded, as Locust records a network error);
   * `retryable`: it hit a reused keep-alive socket before any response byte (retry.ts).
   */
  onFailure(call: Call, error: HttpError, retryable: boolean): void;
  /** The call ends without a result: the user was stopped, the client closed, a programming error. */
  onAbort(call: Call, reason: unknown): void;
}

/** What a call is started with. */
export interface CallInit {
  readonly method: string;
  readonly url: string; // as the task passed it
  readonly options: RequestOptions;
  readonly task: string | undefined; // the user's task when the call started: names what it records
  readonly resolve: (response: HttpResponse) => void;
  readonly reject: (reason: unknown) => void;
}

/** What a call takes from its client: its state (the steps read it), the clock, the default timeout and the first request's bytes. */
export interface CallSource {
  readonly state: ClientState;
  readonly clock: Clock;
  readonly timeoutMs: number;
  firstHop(method: string, url: string, options: RequestOptions): Prepared;
}

export class Call implements ResponseWaiter {
  readonly client: ClientState;
  readonly method: string;
  readonly url: string;
  readonly options: RequestOptions;
  readonly task: string | undefined;
  readonly resolve: (response: HttpResponse) => void;
  readonly reject: (reason: unknown) => void;
  readonly start: number; // on the client's clock, for the latency
  readonly timeoutMs: number; // Infinity: no timeout
  readonly deadline: number; // performance.now() time; Infinity: none
  readonly first: Prepared; // names the call: Locust's default name is its path and query
  hop: Prepared; // the request in flight; after redirects, the one that got the final response
  wire: Uint8Array; // the hop's bytes as written (the cookie step adds the jar's cookies)
  redirects = 0; // followed so far
  fresh = false; // the next dispatch takes a new connection, not an idle one (retry.ts)
  resent = 0; // times sent again after an HTTP/2 server left it unprocessed (h2/streams.ts)
  handler: Handler | undefined; // hears of the hop in flight (set by the dispatch that writes it)

  /** Starts the clock, then takes the first request: serializing it is part of the call's time. */
  constructor(source: CallSource, init: CallInit) {
    this.client = source.state;
    this.method = init.method;
    this.url = init.url;
    this.options = init.options;
    this.task = init.task;
    this.resolve = init.resolve;
    this.reject = init.reject;
    const clock = source.clock;
    const start = clock.now();
    const ms = init.options.timeoutMs === undefined ? source.timeoutMs : checkTimeout(init.options.timeoutMs);
    this.start = start;
    this.timeoutMs = ms;
    // Deadlines are real time; with the system clock the start time already is (saves a now()).
    this.deadline = ms === Infinity ? Infinity : (clock === systemClock ? start : performance.now()) + ms;
    this.first = this.hop = source.firstHop(init.method, init.url, init.options);
    this.wire = this.hop.wire;
  }

  /** The next hop (a redirect): its bytes until the cookie step says otherwise. */
  to(hop: Prepared): void {
    this.hop = hop;
    this.wire = hop.wire;
  }

  /** @internal The connection's answer for the hop in flight; a step that throws ends the call. */
  responded(response: RawResponse): void {
    try {
      (this.handler as Handler).onResponse(this, response);
    } catch (error) {
      this.reject(error);
    }
  }

  /** @internal A ConnectionFailure (the call's result, or a retry), or why the connection was destroyed. */
  failed(reason: unknown): void {
    const handler = this.handler as Handler;
    try {
      if (reason instanceof ConnectionFailure) handler.onFailure(this, reason.error, reason.retryable);
      else handler.onAbort(this, reason);
    } catch (error) {
      this.reject(error);
    }
  }
}
