// Task exceptions go to the master's Exceptions tab like Locust's (msg + traceback), logged
// once per distinct stack locally, and capped so a task throwing in a tight loop cannot flood
// the master. What the cap holds back is counted and said, in the log and in the tab.
import { windowLimiter } from "../limiter.ts";
import type { Logger } from "../log.ts";
import { errorText } from "../stats/index.ts";
import { type StackLayout, engineLayout, trimStack, userLocation } from "./stack.ts";

export interface ExceptionReport {
  msg: string;
  traceback: string;
}

export interface DescribedException extends ExceptionReport {
  /** The first frame in user code ("tasks/x.ts:12:9"), when the stack has one. */
  location?: string;
}

export const MAX_REPORTS_PER_SECOND = 10;
/** Distinct tracebacks remembered for log de-duplication; messages with ids would grow it forever. */
export const MAX_REMEMBERED_TRACEBACKS = 1_000;
/** Reports held back by the cap are summed and said at most once per this period. */
export const SAMPLED_SUMMARY_MS = 10_000;
/** Distinct messages counted in a summary; the rest are summed as "others". */
const MAX_SUMMARISED = 20;

/**
 * The master's row for reports the cap held back. Locust's master keys rows by traceback and
 * counts messages (count += 1 each), and keeps the first msg of a row: a count carried in the
 * text would either split the row or go unseen. So this row's text never changes, its count is
 * the number of periods with held-back reports, and the log has the true numbers.
 */
export const SAMPLED_REPORT: ExceptionReport = {
  msg: `loadworker sent at most ${MAX_REPORTS_PER_SECOND} exception reports per second and held back the rest: the counts in this tab are lower than what happened (the worker's log has the true counts)`,
  traceback:
    "not a task error: this row stands for exception reports that a worker did not send, so that a task throwing in a loop cannot flood the master.\n" +
    `Its count is the number of ${SAMPLED_SUMMARY_MS / 1000}-second periods in which reports were held back; ` +
    'the worker logs "exception reports held back" with the count for each error.',
};

/** The log's one entry for a task error: the message, then the traceback without its "in TASK" line (the message ends with it). */
export function exceptionLogText(msg: string, traceback: string): string {
  return `task code threw: ${msg}\n${traceback.replace(/^in [^\n]*\n/, "")}`;
}

export function describeException(error: unknown, where: string, layout: StackLayout = engineLayout): DescribedException {
  if (error instanceof Error) {
    const repr = errorText(error); // Python's repr, as Locust's exceptions read: Error('boom')
    // Only the frames down to the user's code: the engine's below them differ between a user's
    // first task (run from the spawn) and the next ones, and would split one error into two rows.
    const stack = error.stack === undefined ? repr : trimStack(error.stack, layout);
    return {
      msg: `${repr} in ${where}`,
      traceback: `in ${where}\n${stack}`,
      location: error.stack === undefined ? undefined : userLocation(error.stack, layout),
    };
  }
  const text = typeof error === "string" ? error : safeString(error);
  return { msg: `${text} in ${where}`, traceback: `in ${where}\nthrown value (not an Error): ${text}` };
}

export interface ExceptionReporter {
  /** Logs and forwards one exception from user code. */
  report(error: unknown, where: string): void;
  /** Says (log and master) what the cap held back, once the period is over; call it now and then. */
  flush(): void;
}

/**
 * Logs every exception (a traceback in full once) and forwards at most MAX_REPORTS_PER_SECOND
 * a second; `forward` returns false when nothing can be sent now (no master), which counts as
 * held back too.
 */
export function exceptionReporter(log: Logger, forward: (report: ExceptionReport) => boolean, nowMs: () => number): ExceptionReporter {
  const logged = new Set<string>();
  // The summary below says what was held back, and why; the limiter only counts the second.
  const allow = windowLimiter({ limit: MAX_REPORTS_PER_SECOND, windowMs: 1000, now: nowMs, onDropped: () => {} });
  const held = new Map<string, number>(); // msg → reports held back since the last summary
  let heldTotal = 0;
  let heldSince = 0; // the first report held back since the last summary
  let summarisedAt = -Infinity;

  const flush = (): void => {
    const now = nowMs();
    // The first summary of a flood after a second of it, then one per period.
    if (heldTotal === 0 || now - heldSince < 1000 || now - summarisedAt < SAMPLED_SUMMARY_MS) return;
    const seconds = Math.max(1, Math.round((now - heldSince) / 1000));
    const each = [...held].sort((a, b) => b[1] - a[1]).map(([msg, n]) => `${msg} ×${n.toLocaleString("en-US")}`);
    log.warn(
      `exception reports held back: ${heldTotal.toLocaleString("en-US")} over ${seconds}s were not sent to the master ` +
        `(it gets at most ${MAX_REPORTS_PER_SECOND}/s from this worker, and none while it is unreachable), so its Exceptions tab counts are that much lower: ${each.join("; ")}. ` +
        "Each distinct traceback is in this log; fix the task that throws, or catch what it expects",
    );
    // The master's row for it; without a master now, the log line above is what says it.
    const told = forward(SAMPLED_REPORT);
    summarisedAt = now;
    held.clear();
    heldTotal = 0;
    if (!told) log.debug("the summary of held-back exception reports could not be sent to the master either");
  };

  const report = (error: unknown, where: string): void => {
    const described = describeException(error, where);
    if (!logged.has(described.traceback)) {
      if (logged.size >= MAX_REMEMBERED_TRACEBACKS) logged.clear();
      logged.add(described.traceback);
      log.error(exceptionLogText(described.msg, described.traceback));
    } else {
      log.debug(`task code threw again: ${described.msg}`);
    }
    if (!(allow() && forward({ msg: described.msg, traceback: described.traceback }))) {
      const key = held.has(described.msg) || held.size < MAX_SUMMARISED ? described.msg : "others";
      held.set(key, (held.get(key) ?? 0) + 1);
      if (heldTotal++ === 0) heldSince = nowMs();
    }
    flush();
  };

  return { report, flush };
}

function safeString(value: unknown): string {
  try {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value); // circular or hostile toJSON: still say what it was
  }
}
