// The public API: what a task file imports. Everything else in src/ is internal.
import { currentRecorder } from "./users/current.ts";

export { defineTask, defineUser } from "./api/definitions.ts";
export type { TaskDefinition, TaskFn, TaskSpec, UserContext, UserDefinition, UserHttpOptions, UserSpec } from "./api/definitions.ts";
export { between, constant, constantPacing, constantThroughput } from "./api/wait.ts";
export type { WaitInfo, WaitTime } from "./api/wait.ts";
export { HttpClient } from "./http/index.ts";
export type { CookieJar, HttpError, HttpErrorCode, HttpResponse, RequestOptions } from "./http/index.ts";

/**
 * Records a request that succeeded, for code that measures itself (gRPC, databases, …).
 * Boomer's `RecordSuccess`: request type (e.g. "GET", "grpc"), name, elapsed float ms, bytes.
 * Call it from inside a task.
 */
export function recordSuccess(requestType: string, name: string, responseTimeMs: number, responseLength: number): void {
  currentRecorder("recordSuccess").success(requestType, name, responseTimeMs, responseLength);
}

/** Records a request that failed (boomer's `RecordFailure`); `error` is an Error or a message. */
export function recordFailure(requestType: string, name: string, responseTimeMs: number, error: unknown): void {
  currentRecorder("recordFailure").failure(requestType, name, responseTimeMs, error);
}
