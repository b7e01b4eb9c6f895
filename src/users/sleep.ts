// An abortable sleep: a stopped user must wake at once (Locust kills users sleeping in wait_time).
import type { Abortable } from "./stop.ts";

export class StoppedError extends Error {
  constructor() {
    super("the user was stopped");
    this.name = "AbortError";
  }
}

export function sleep(ms: number, signal?: Abortable): Promise<void> {
  if (signal?.aborted) return Promise.reject(new StoppedError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StoppedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Lets I/O and timers run between synchronous tasks, so a CPU-only task cannot starve the worker. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || (error as { code?: unknown }).code === "ABORT_ERR");
}

/** Resolves true when `promise` settles within `ms`, false otherwise; never leaves a timer behind. */
export function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}
