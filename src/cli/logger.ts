// consola behind the Logger interface; the level comes from --loglevel.
import { LoadworkerError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { describeLogArg, formatLogLine, shortHostname } from "../worker/logs.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
const CONSOLA_LEVEL: Record<LogLevelName, number> = { error: 0, warn: 1, info: 3, debug: 4 };

export function parseLogLevel(value: string | undefined): LogLevelName {
  const level = (value ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LoadworkerError("E_USAGE", `--loglevel must be one of ${LOG_LEVELS.join(", ")}, got "${value}"`);
  }
  return level as LogLevelName;
}

/** Where log lines go: stderr by default; `loadworker run` passes its live view on a TTY. */
export interface LogSink {
  write(text: string): unknown;
}

/** `tag` prefixes every line (the process slot of a --processes child). */
export async function createLogger(level: LogLevelName, sink: LogSink = process.stderr, tag?: string): Promise<Logger> {
  // Logs go to stderr so that stdout stays clean for output such as `loadworker locustfile`.
  if (sink === process.stderr && process.stderr.isTTY !== true) return lineLogger(level, sink, tag);
  const stream = sink as NodeJS.WriteStream;
  // Imported only on a terminal: consola sets up process.stdout and its default instance when
  // loaded, which cost a worker writing to a pipe or a file ~5 MB of RSS (bench/workers/README.md).
  const { createConsola } = await import("consola");
  const base = createConsola({ level: CONSOLA_LEVEL[level], stdout: stream, stderr: stream });
  const consola = tag ? base.withTag(tag) : base;
  return {
    debug: (m, ...r) => consola.debug(m, ...r),
    info: (m, ...r) => consola.info(m, ...r),
    warn: (m, ...r) => consola.warn(m, ...r),
    error: (m, ...r) => consola.error(m, ...r),
  };
}

// Off a terminal (supervisord's log files, docker logs, CI) consola's glyphs and blank lines around
// warnings help nobody and it writes no time: one line per message in Locust's own log format.
function lineLogger(level: LogLevelName, sink: LogSink, tag?: string): Logger {
  const host = shortHostname();
  const min = CONSOLA_LEVEL[level];
  const at =
    (name: LogLevelName) =>
    (message: string, ...rest: unknown[]) => {
      if (CONSOLA_LEVEL[name] > min) return;
      const text = `${tag ? `[${tag}] ` : ""}${rest.length === 0 ? message : [message, ...rest.map(describeLogArg)].join(" ")}`;
      sink.write(`${formatLogLine(name, text, new Date(), host)}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
