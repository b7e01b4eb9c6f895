// One call of a task (a get(), a post()...) from its start to its recorded response: the first
// step of HttpClient's pipeline fixes when it started and by when it must end. The call is also
// what its connection answers (ResponseWaiter): one promise per call, the one the task awaits,
// and no promise or async frame per hop (at 1,000 users those were a quarter of the objects a
// request allocated, and each young object costs again in every collection: bench/workers/README.md).
import { systemClock, type Clock } from "../clock.ts";
import type { ResponseWaiter } from "./connection.ts";
import { checkTimeout, type RequestOptions } from "./options.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Prepared } from "./request.ts";
import type { HttpResponse } from "./response.ts";

/** Who carries a call on: the client, told of each hop's outcome. */
export interface CallOwner {
  hopResponded(call: Call, response: RawResponse): void;
  hopFailed(call: Call, reason: unknown): void;
}

export class Call implements ResponseWaiter {
  hop: Prepared; // the request in flight; after redirects, the one that got the final response
  redirects = 0; // followed so far
  constructor(
    private readonly owner: CallOwner,
    readonly method: string,
    readonly url: string, // as the task passed it
    readonly options: RequestOptions,
    readonly start: number, // on the client's clock, for the latency
    readonly timeoutMs: number, // Infinity: no timeout
    readonly deadline: number, // performance.now() time; Infinity: none
    readonly first: Prepared, // names the call: Locust's default name is its path and query
    readonly resolve: (response: HttpResponse) => void,
    readonly reject: (reason: unknown) => void,
    readonly task: string | undefined, // the user's task when the call started: names what it records
  ) {
    this.hop = first;
  }

  /** @internal The connection's answer for the hop in flight. */
  responded(response: RawResponse): void {
    this.owner.hopResponded(this, response);
  }

  /** @internal */
  failed(reason: unknown): void {
    this.owner.hopFailed(this, reason);
  }
}

/** Starts the clock, then takes the first request from the cache: serializing it is part of its time. */
export function startCall(
  owner: CallOwner,
  clock: Clock,
  method: string,
  url: string,
  options: RequestOptions,
  timeoutMs: number,
  firstHops: { firstHop(method: string, url: string, options: RequestOptions): Prepared },
  resolve: (response: HttpResponse) => void,
  reject: (reason: unknown) => void,
  task: string | undefined,
): Call {
  const start = clock.now();
  const ms = options.timeoutMs === undefined ? timeoutMs : checkTimeout(options.timeoutMs);
  // Deadlines are real time; with the system clock the start time already is (saves a now()).
  const deadline = ms === Infinity ? Infinity : (clock === systemClock ? start : performance.now()) + ms;
  const first = firstHops.firstHop(method, url, options);
  return new Call(owner, method, url, options, start, ms, deadline, first, resolve, reject, task);
}
