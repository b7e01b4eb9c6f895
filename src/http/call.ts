// One call of a task (a get(), a post()...) from its start to its recorded response: the first
// step of HttpClient's pipeline fixes when it started and by when it must end.
import { systemClock, type Clock } from "../clock.ts";
import { checkTimeout, type RequestOptions } from "./options.ts";
import type { HeadCache } from "./head-cache.ts";
import type { Prepared } from "./request.ts";

export interface Call {
  readonly method: string;
  readonly url: string; // as the task passed it
  readonly options: RequestOptions;
  readonly start: number; // on the client's clock, for the latency
  readonly timeoutMs: number; // Infinity: no timeout
  readonly deadline: number; // performance.now() time; Infinity: none
  readonly first: Prepared; // names the call: Locust's default name is its path and query
  hop: Prepared; // the request in flight; after redirects, the one that got the final response
  redirects: number; // followed so far
}

/** Starts the clock, then takes the first request from the cache: serializing it is part of its time. */
export function startCall(clock: Clock, method: string, url: string, options: RequestOptions, timeoutMs: number, heads: HeadCache): Call {
  const start = clock.now();
  const ms = options.timeoutMs === undefined ? timeoutMs : checkTimeout(options.timeoutMs);
  // Deadlines are real time; with the system clock the start time already is (saves a now()).
  const deadline = ms === Infinity ? Infinity : (clock === systemClock ? start : performance.now()) + ms;
  const first = heads.first(method, url, options);
  return { method, url, options, start, timeoutMs: ms, deadline, first, hop: first, redirects: 0 };
}
