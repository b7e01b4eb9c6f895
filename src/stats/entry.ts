// One Locust StatsEntry (stats.py): counters for one (name, method), or the Aggregated total,
// since its last reset. Mutated in place on the hot path; handed over as a report and reset.
import { bucketResponseTime } from "./bucket.ts";
import type { StatsEntryReport } from "./report.ts";

export class StatsEntry {
  numRequests = 0;
  numNoneRequests = 0;
  numFailures = 0;
  totalResponseTime = 0;
  maxResponseTime = 0;
  minResponseTime: number | null = null;
  totalContentLength = 0;
  lastRequestTimestamp: number | null = null;
  responseTimes = new Map<number, number>();
  reqsPerSec = new Map<number, number>();
  failPerSec = new Map<number, number>();
  /** Whether it is in the current report's list (set by the owner, which keeps that list). */
  listed = false;
  // Hot-path counters kept out of the maps until report(): the current second's requests, and
  // the whole-millisecond buckets below SMALL_BUCKETS (a Map get+set per request cost ~10%).
  private second = -1;
  private inSecond = 0;
  private small = new Uint32Array(SMALL_BUCKETS);
  private smallUsed = false;

  constructor(
    readonly name: string,
    readonly method: string,
    /** Epoch seconds of creation or the last reset, as Locust's `start_time`. */
    public startTime: number,
  ) {}

  /**
   * StatsEntry.log: one request at `epoch` (`second` = its truncated value). `ms` null is
   * Locust's None response time: counted, but kept out of the histogram and the sums.
   */
  log(ms: number | null, contentLength: number, epoch: number, second: number): void {
    this.numRequests += 1;
    if (second !== this.second) {
      if (this.inSecond > 0) add(this.reqsPerSec, this.second, this.inSecond);
      this.second = second;
      this.inSecond = 0;
    }
    this.inSecond += 1;
    this.lastRequestTimestamp = epoch;
    this.totalContentLength += contentLength;
    if (ms === null) {
      this.numNoneRequests += 1;
      return;
    }
    this.totalResponseTime += ms;
    if (this.minResponseTime === null || ms < this.minResponseTime) this.minResponseTime = ms;
    if (ms > this.maxResponseTime) this.maxResponseTime = ms;
    const bucket = bucketResponseTime(ms);
    if (bucket < SMALL_BUCKETS) {
      this.small[bucket] = (this.small[bucket] as number) + 1;
      this.smallUsed = true;
    } else add(this.responseTimes, bucket, 1);
  }

  /** StatsEntry.log_error: a failure also goes through `log`, so only the failure counters here. */
  logFailure(second: number): void {
    this.numFailures += 1;
    increment(this.failPerSec, second);
  }

  /** The wire dict; it takes the maps with it, so call `reset` right after. */
  report(): StatsEntryReport {
    if (this.inSecond > 0) add(this.reqsPerSec, this.second, this.inSecond);
    this.inSecond = 0;
    if (this.smallUsed) {
      for (let ms = 0; ms < SMALL_BUCKETS; ms++) if (this.small[ms]) add(this.responseTimes, ms, this.small[ms] as number);
      this.small.fill(0);
      this.smallUsed = false;
    }
    return {
      name: this.name,
      method: this.method,
      last_request_timestamp: this.lastRequestTimestamp,
      start_time: this.startTime,
      num_requests: this.numRequests,
      num_none_requests: this.numNoneRequests,
      num_failures: this.numFailures,
      total_response_time: this.totalResponseTime,
      max_response_time: this.maxResponseTime,
      min_response_time: this.minResponseTime,
      total_content_length: this.totalContentLength,
      response_times: this.responseTimes,
      num_reqs_per_sec: this.reqsPerSec,
      num_fail_per_sec: this.failPerSec,
    };
  }

  /** StatsEntry.reset: zero everything and restart the interval at `epoch`. */
  reset(epoch: number): void {
    this.startTime = epoch;
    this.numRequests = 0;
    this.numNoneRequests = 0;
    this.numFailures = 0;
    this.totalResponseTime = 0;
    this.maxResponseTime = 0;
    this.minResponseTime = null;
    this.totalContentLength = 0;
    this.lastRequestTimestamp = null;
    this.inSecond = 0;
    this.small.fill(0);
    this.smallUsed = false;
    // New maps rather than clear(): the old ones now belong to the report just taken.
    this.responseTimes = new Map();
    this.reqsPerSec = new Map();
    this.failPerSec = new Map();
  }
}

/** Buckets below 100 ms are whole milliseconds (bucket.ts); 99.5 rounds to 100. */
const SMALL_BUCKETS = 101;

function add(map: Map<number, number>, key: number, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function increment(map: Map<number, number>, key: number): void {
  add(map, key, 1);
}
