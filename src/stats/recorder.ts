// What request-producing code (tasks, the HTTP client) records into; recording never does I/O.
export interface Recorder {
  /**
   * A request that succeeded: elapsed float milliseconds and response length in bytes. `task`
   * (here and in failure) is the task the request was made under when the caller knows it: the
   * HTTP client records from its socket's event, outside the task's async context. It only names
   * a new entry (StatsOptions.onNewEntry).
   */
  success(method: string, name: string, ms: number, length: number, task?: string): void;
  /**
   * A request that failed: the error is an Error or a message; it is keyed by its text. The
   * length of a response that came back (a 500 page, say) counts like Locust's, 0 without one.
   */
  failure(method: string, name: string, ms: number, error: unknown, length?: number, task?: string): void;
}

/**
 * Open-model iterations that did not start on time (docs/open-model.md): dropped because no user
 * of the class was free, or started `ms` late. Counted per report, never per request.
 */
export interface ScheduleRecorder {
  dropped(className: string): void;
  late(className: string, ms: number): void;
}
