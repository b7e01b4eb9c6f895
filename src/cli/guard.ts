// User code can start promises nobody awaits (a forgotten `await`, a fire-and-forget request) or
// throw from a timer callback; neither may end or poison the worker: log it and keep going. (A task
// that never awaits is watched from another thread: platform/blocked-loop.ts, from project/load.ts.)
import { windowLimiter } from "../limiter.ts";
import type { Logger } from "../log.ts";
import { isAbortError } from "../users/sleep.ts";

const WARNINGS_PER_MINUTE = 20;

export function guardUnhandledErrors(log: Logger, nowMs: () => number = () => performance.now()): void {
  const allow = windowLimiter({
    limit: WARNINGS_PER_MINUTE,
    windowMs: 60_000,
    now: nowMs,
    onDropped: (count) => log.warn(`${count} more errors from task code were not logged in the last minute`),
  });
  const report = (what: string, reason: unknown) => {
    // A stopped user's forgotten request or sleep rejects with AbortError: that is the stop itself.
    if (isAbortError(reason) || !allow()) return;
    const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log.warn(`${what}: ${text}`);
  };
  process.on("unhandledRejection", (reason: unknown) => report("a promise nobody awaited rejected (a missing await in a task?)", reason));
  process.on("uncaughtException", (error: unknown) => report("task code threw outside a task (in a timer or callback?)", error));
}
