// Task exceptions go to the master's Exceptions tab like Locust's (msg + traceback), logged
// once per distinct stack locally, and capped so a task throwing in a tight loop cannot flood
// the master.
import { windowLimiter } from "../limiter.ts";
import type { Logger } from "../log.ts";
import { errorText } from "../stats/index.ts";

export interface ExceptionReport {
  msg: string;
  traceback: string;
}

export const MAX_REPORTS_PER_SECOND = 10;
/** Distinct tracebacks remembered for log de-duplication; messages with ids would grow it forever. */
export const MAX_REMEMBERED_TRACEBACKS = 1_000;

export function describeException(error: unknown, where: string): ExceptionReport {
  if (error instanceof Error) {
    const repr = errorText(error); // Python's repr, as Locust's exceptions read: Error('boom')
    return { msg: `${repr} in ${where}`, traceback: `in ${where}\n${error.stack ?? repr}` };
  }
  const text = typeof error === "string" ? error : safeString(error);
  return { msg: `${text} in ${where}`, traceback: `in ${where}\nthrown value (not an Error): ${text}` };
}

/** Returns a sink that logs and forwards exception reports, at most MAX_REPORTS_PER_SECOND. */
export function exceptionReporter(log: Logger, forward: (report: ExceptionReport) => void, nowMs: () => number) {
  const logged = new Set<string>();
  const allow = windowLimiter({
    limit: MAX_REPORTS_PER_SECOND,
    windowMs: 1000,
    now: nowMs,
    onDropped: (count) => log.warn(`${count} exception reports were not sent to the master (more than ${MAX_REPORTS_PER_SECOND}/s)`),
  });
  return (error: unknown, where: string): void => {
    const report = describeException(error, where);
    if (!logged.has(report.traceback)) {
      if (logged.size >= MAX_REMEMBERED_TRACEBACKS) logged.clear();
      logged.add(report.traceback);
      log.error(`task code threw: ${report.msg}\n${report.traceback}`);
    } else {
      log.debug(`task code threw again: ${report.msg}`);
    }
    if (allow()) forward(report);
  };
}

function safeString(value: unknown): string {
  try {
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value); // circular or hostile toJSON: still say what it was
  }
}
