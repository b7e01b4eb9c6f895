// The worker's log lines for the master's Logs tab (Locust ≥ 2.29, `logs` message), with
// Locust's rules: its LogReader keeps the last 500 formatted lines; its worker sends the whole
// buffer every 10 s when it grew, and after an interval with more than 70 new lines it sends
// once more and stops sending for good (WorkerRunner.logs_reporter in Locust 2.47).
import { hostname } from "node:os";
import type { Logger } from "../log.ts";

export const LOG_BUFFER_LINES = 500;
export const MAX_NEW_LINES_PER_INTERVAL = 70;

export type LogLevel = "debug" | "info" | "warn" | "error";
const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
// Locust's record.levelname for each of our levels.
const LEVEL_NAME: Record<LogLevel, string> = { debug: "DEBUG", info: "INFO", warn: "WARNING", error: "ERROR" };

/** The last LOG_BUFFER_LINES lines, and how many were ever appended (growth survives a full buffer). */
export class LogBuffer {
  private readonly ring: string[] = [];
  appended = 0;

  append(line: string): void {
    this.ring.push(line);
    if (this.ring.length > LOG_BUFFER_LINES) this.ring.shift();
    this.appended++;
  }

  lines(): string[] {
    return [...this.ring];
  }
}

export interface ShipState {
  /** `appended` when the last interval ended. */
  readonly seen: number;
  /** Set after an interval with too many lines; nothing more is sent. */
  readonly disabled: boolean;
}

export const initialShipState: ShipState = { seen: 0, disabled: false };

export type ShipDecision =
  | { readonly action: "none" }
  | { readonly action: "send" }
  /** Log the warning first (it is part of what goes out), then send and stop for good. */
  | { readonly action: "send_and_disable"; readonly warning: string };

/** What to do at the end of one interval, given how many lines were appended so far. */
export function shipLogs(state: ShipState, appended: number): { state: ShipState; decision: ShipDecision } {
  if (state.disabled) return { state, decision: { action: "none" } };
  const fresh = appended - state.seen;
  if (fresh > MAX_NEW_LINES_PER_INTERVAL) {
    const warning = `The worker attempted to send more than ${MAX_NEW_LINES_PER_INTERVAL} log lines in one interval. Further log sending was disabled for this worker.`;
    return { state: { seen: appended, disabled: true }, decision: { action: "send_and_disable", warning } };
  }
  return { state: { seen: appended, disabled: false }, decision: fresh > 0 ? { action: "send" } : { action: "none" } };
}

/** Locust's log format: `[%(asctime)s] {HOSTNAME}/%(levelname)s/%(name)s: %(message)s`. */
export function formatLogLine(level: LogLevel, message: string, at: Date, host = shortHostname()): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())},${pad(at.getMilliseconds(), 3)}`;
  return `[${stamp}] ${host}/${LEVEL_NAME[level]}/loadworker: ${message}`;
}

/** Locust strips the domain: `re.sub(r"\..*", "", socket.gethostname())`. */
export function shortHostname(): string {
  return hostname().replace(/\..*/, "");
}

/**
 * A Logger that also appends what it emits at `minLevel` or above to `buffer`; extra arguments
 * are joined the way the console shows them.
 */
export function capturingLogger(inner: Logger, buffer: LogBuffer, minLevel: LogLevel, now: () => Date = () => new Date()): Logger {
  const host = shortHostname();
  const at =
    (level: LogLevel) =>
    (message: string, ...rest: unknown[]) => {
      inner[level](message, ...rest);
      if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return;
      const text = rest.length === 0 ? message : [message, ...rest.map(describeLogArg)].join(" ");
      buffer.append(formatLogLine(level, text, now(), host));
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** An extra log argument as the console shows it: an Error's stack, JSON for the rest. */
export function describeLogArg(value: unknown): string {
  if (value instanceof Error) return value.stack ?? String(value);
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
