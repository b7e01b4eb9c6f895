// One StatsEntry as the Locust master holds it (stats.py StatsEntry with use_response_times_cache):
// worker reports extended into running totals, plus one copy of the histogram per second for the
// "current" (last ~10 s) percentiles.
import type { StatsEntryReport } from "../../stats/index.ts";

interface CachedResponseTimes {
  readonly responseTimes: ReadonlyMap<number, number>;
  readonly numRequests: number;
  readonly numNoneRequests: number;
}

/** stats.py CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW, and the cache keeps that + 10 seconds. */
export const CURRENT_WINDOW_SECONDS = 10;
const CACHE_SIZE = CURRENT_WINDOW_SECONDS + 10;

export class MergedEntry {
  numRequests = 0;
  numNoneRequests = 0;
  numFailures = 0;
  totalResponseTime = 0;
  maxResponseTime = 0;
  minResponseTime: number | null = null;
  totalContentLength = 0;
  lastRequestTimestamp: number | null = null;
  startTime: number;
  readonly responseTimes = new Map<number, number>();
  readonly reqsPerSec = new Map<number, number>();
  readonly failPerSec = new Map<number, number>();
  /** Whole epoch second → histogram copy; insertion order is age order, as Locust's OrderedDict. */
  readonly cache = new Map<number, CachedResponseTimes>();

  /** A new entry at `epoch` (Locust's reset(): start_time = now and a first, empty cache copy). */
  constructor(
    readonly name: string,
    readonly method: string,
    epoch: number,
  ) {
    this.startTime = epoch;
    this.cacheResponseTimes(Math.trunc(epoch));
  }

  /** StatsEntry.extend with a worker's delta report. */
  extend(other: StatsEntryReport): void {
    const oldLast = this.lastRequestTimestamp;
    if (other.last_request_timestamp !== null) {
      this.lastRequestTimestamp = oldLast === null ? other.last_request_timestamp : Math.max(oldLast, other.last_request_timestamp);
    }
    this.startTime = Math.min(this.startTime, other.start_time);
    this.numRequests += other.num_requests;
    this.numNoneRequests += other.num_none_requests;
    this.numFailures += other.num_failures;
    this.totalResponseTime += other.total_response_time;
    this.maxResponseTime = Math.max(this.maxResponseTime, other.max_response_time);
    if (other.min_response_time !== null) {
      this.minResponseTime =
        this.minResponseTime === null ? other.min_response_time : Math.min(this.minResponseTime, other.min_response_time);
    }
    this.totalContentLength += other.total_content_length;
    addInto(this.responseTimes, other.response_times);
    addInto(this.reqsPerSec, other.num_reqs_per_sec);
    addInto(this.failPerSec, other.num_fail_per_sec);
    // Locust copies the histogram when the last request enters a new second (a truthy check, so
    // a timestamp of 0 never caches; harmless for real epochs).
    const lastTime = this.lastRequestTimestamp ? Math.trunc(this.lastRequestTimestamp) : 0;
    if (lastTime && lastTime > (oldLast ? Math.trunc(oldLast) : 0)) this.cacheResponseTimes(lastTime);
  }

  /** Adds another merged entry (a threshold on `NAME:` over several methods). */
  absorb(other: MergedEntry): void {
    this.extend({
      name: other.name,
      method: other.method,
      last_request_timestamp: other.lastRequestTimestamp,
      start_time: other.startTime,
      num_requests: other.numRequests,
      num_none_requests: other.numNoneRequests,
      num_failures: other.numFailures,
      total_response_time: other.totalResponseTime,
      max_response_time: other.maxResponseTime,
      min_response_time: other.minResponseTime,
      total_content_length: other.totalContentLength,
      response_times: other.responseTimes,
      num_reqs_per_sec: other.reqsPerSec,
      num_fail_per_sec: other.failPerSec,
    });
  }

  private cacheResponseTimes(second: number): void {
    this.cache.set(second, {
      responseTimes: new Map(this.responseTimes),
      numRequests: this.numRequests,
      numNoneRequests: this.numNoneRequests,
    });
    for (const key of this.cache.keys()) {
      if (this.cache.size <= CACHE_SIZE) break;
      this.cache.delete(key);
    }
  }
}

function addInto(target: Map<number, number>, source: ReadonlyMap<number, number>): void {
  for (const [key, count] of source) target.set(key, (target.get(key) ?? 0) + count);
}
