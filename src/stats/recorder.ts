// What request-producing code (tasks, the HTTP client) records into; recording never does I/O.
export interface Recorder {
  /** A request that succeeded: elapsed float milliseconds and response length in bytes. */
  success(method: string, name: string, ms: number, length: number): void;
  /** A request that failed: the error is an Error or a message; it is keyed by its text. */
  failure(method: string, name: string, ms: number, error: unknown): void;
}
