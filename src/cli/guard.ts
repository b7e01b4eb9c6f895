// User code can start promises nobody awaits (a forgotten `await`, a fire-and-forget request);
// when one rejects, that must not end or poison the worker: log it and keep going.
import type { Logger } from "../log.ts";
import { isAbortError } from "../runtime/sleep.ts";

export function guardUnhandledRejections(log: Logger): void {
  let logged = 0;
  process.on("unhandledRejection", (reason: unknown) => {
    // A stopped user's forgotten request or sleep rejects with AbortError: that is the stop itself.
    if (isAbortError(reason)) return;
    if (logged++ < 100) {
      const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
      log.warn(`a promise nobody awaited rejected (a missing await in a task?): ${text}`);
    }
  });
}
