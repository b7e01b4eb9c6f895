// The logging surface every layer takes by injection; consola satisfies it, tests pass a recorder.
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** A logger that drops everything (for tests and library use without output). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
