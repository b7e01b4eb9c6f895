// boomer's rate limits (`--max-rps`, `--request-increase-rate`): a token bucket shared by every
// user of the worker, taken once per task execution. Like boomer's limiters the bucket is
// refilled to the period's allowance and unused tokens are lost (no burst); boomer refills once a
// second, we refill every REFILL_PERIOD_MS at that fraction of the rate: the same cap over any
// second, with bursts a tenth as large. Waiters are served in arrival order.
import type { Clock } from "../clock.ts";
import type { Abortable } from "./stop.ts";

export const REFILL_PERIOD_MS = 100;

/** boomer's `--request-increase-rate`: the cap grows by `step` per second every `everyMs`. */
export interface IncreaseRate {
  readonly step: number;
  readonly everyMs: number;
}

export interface RateLimitOptions {
  /** Task executions per second for the whole worker; Infinity when only a ramp is set. */
  readonly maxRps: number;
  readonly increase?: IncreaseRate;
  readonly clock: Clock;
  readonly refillPeriodMs?: number;
  /** Timers are injected so tests can drive the bucket without sleeping. */
  readonly timers?: Timers;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RateLimiter {
  /** `true` when a token was free; otherwise a promise that resolves with one, or rejects when `signal` aborts. */
  acquire(signal: Abortable): true | Promise<void>;
  /** Tokens per second allowed now (for logs and tests). */
  currentRps(): number;
  /** Rejects every waiter and stops the timer. */
  close(): void;
}

/** Thrown to a waiter whose user was stopped: an AbortError, so the user loop treats it as the stop. */
export class RateLimitAborted extends Error {
  constructor() {
    super("the user was stopped while waiting for a rate-limit token");
    this.name = "AbortError";
  }
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  signal: Abortable;
  onAbort(): void;
}

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const period = opts.refillPeriodMs ?? REFILL_PERIOD_MS;
  const timers = opts.timers ?? realTimers;
  // Periods start on wall-clock multiples of the period, so each whole second Locust counts
  // (its per-second request buckets are epoch seconds) holds exactly a second's tokens.
  const start = opts.clock.now() - ((opts.clock.epoch() * 1000) % period);
  const waiters = new Set<Waiter>();
  let periodIndex = -1;
  let tokens = 0;
  let timer: unknown;

  const rpsAt = (elapsedMs: number): number => {
    if (!opts.increase) return opts.maxRps;
    // boomer's ramp starts at one step and adds one per period, up to the cap.
    return Math.min(opts.maxRps, opts.increase.step * (1 + Math.floor(elapsedMs / opts.increase.everyMs)));
  };

  // Tokens of period k at rate r: the integer part of the cumulative allowance, so fractional
  // rates (5/s in 100 ms periods) come out exact over time.
  const allowance = (k: number, rps: number): number => {
    if (!Number.isFinite(rps)) return Number.MAX_SAFE_INTEGER;
    const perPeriod = (rps * period) / 1000;
    return Math.floor((k + 1) * perPeriod + 1e-9) - Math.floor(k * perPeriod + 1e-9);
  };

  const refill = (now: number): void => {
    const k = Math.floor((now - start) / period);
    if (k === periodIndex) return;
    periodIndex = k;
    tokens = allowance(k, rpsAt(k * period));
  };

  const settle = (w: Waiter) => {
    waiters.delete(w);
    w.signal.removeEventListener("abort", w.onAbort);
  };

  const schedule = (): void => {
    if (timer !== undefined || waiters.size === 0) return;
    const next = start + (periodIndex + 1) * period;
    timer = timers.set(onTimer, Math.max(0, next - opts.clock.now()));
  };

  function onTimer(): void {
    timer = undefined;
    refill(opts.clock.now());
    for (const w of waiters) {
      if (tokens <= 0) break;
      tokens--;
      settle(w);
      w.resolve();
    }
    schedule();
  }

  return {
    acquire(signal) {
      refill(opts.clock.now());
      if (tokens > 0 && waiters.size === 0) {
        tokens--;
        return true;
      }
      if (signal.aborted) return Promise.reject(new RateLimitAborted());
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            settle(w);
            reject(new RateLimitAborted());
          },
        };
        waiters.add(w);
        signal.addEventListener("abort", w.onAbort, { once: true });
        schedule();
      });
    },
    currentRps: () => rpsAt(opts.clock.now() - start),
    close() {
      if (timer !== undefined) timers.clear(timer);
      timer = undefined;
      for (const w of [...waiters]) {
        settle(w);
        w.reject(new RateLimitAborted());
      }
    },
  };
}

/**
 * Parses boomer's `--request-increase-rate`: "N" (per second), "N/1s", "N/500ms", "N/2m".
 * Returns a message saying what is wrong instead of throwing, so the CLI names its flag.
 */
export function parseIncreaseRate(text: string): IncreaseRate | { error: string } {
  const match = /^\s*(\d+)\s*(?:\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*)?$/.exec(text);
  const hint = `expected a whole number of tasks per second to add, optionally per period, e.g. "10", "10/1s" or "10/500ms"; got "${text}"`;
  if (!match) return { error: hint };
  const step = Number(match[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[3] ?? "s"] ?? 1000;
  const everyMs = match[2] === undefined ? 1000 : Number(match[2]) * unit;
  if (step <= 0 || !Number.isSafeInteger(step)) return { error: `the step must be a whole number > 0; ${hint}` };
  if (!(everyMs >= 1)) return { error: `the period must be at least 1ms; ${hint}` };
  return { step, everyMs };
}

/** The cap and its ramp for the whole machine, as --max-rps and --request-increase-rate give them. */
export type RateLimits = Pick<RateLimitOptions, "maxRps" | "increase">;

/**
 * The limiter for one process of `processes` on one machine (`--processes N`): each gets 1/N of
 * the cap and of the ramp's step, so the machine as a whole keeps the cap. None without limits.
 */
export function rateLimiterFor(limits: RateLimits | undefined, clock: Clock, processes = 1): RateLimiter | undefined {
  if (!limits) return undefined;
  const share = (n: number) => n / processes;
  return createRateLimiter({
    maxRps: share(limits.maxRps),
    increase: limits.increase ? { step: share(limits.increase.step), everyMs: limits.increase.everyMs } : undefined,
    clock,
  });
}
