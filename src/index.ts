// The public API: what a task file imports. Everything else in src/ is internal.
import { currentRecorder, currentScope } from "./users/current.ts";

export { defineTask, defineUser, onMessage, onTestStart, onTestStop } from "./api/definitions.ts";
export type {
  MessageContext,
  MessageDefinition,
  MessageHandler,
  TaskDefinition,
  TaskFn,
  TaskSpec,
  TestHookContext,
  TestHookDefinition,
  UserContext,
  UserDefinition,
  UserHttpOptions,
  UserSpec,
} from "./api/definitions.ts";
export { RescheduleTask, StopUser } from "./api/control.ts";
export { readTaskFile } from "./api/task-files.ts";
export { between, constant, constantPacing, constantThroughput, poisson } from "./api/wait.ts";
export type { WaitInfo, WaitTime } from "./api/wait.ts";
export { GrpcError } from "./grpc/index.ts";
export type {
  GrpcCallOptions,
  GrpcErrorCode,
  GrpcMetadata,
  GrpcResult,
  GrpcServerStream,
  GrpcService,
  GrpcServiceOptions,
  GrpcStreamOptions,
  GrpcUnary,
} from "./grpc/index.ts";
export { HttpClient } from "./http/index.ts";
export type { CookieJar, HttpError, HttpErrorCode, HttpResponse, RequestOptions } from "./http/index.ts";
export { WebSocketError } from "./websocket/index.ts";
export type {
  ReceiveOptions,
  WebSocketConnection,
  WebSocketErrorCode,
  WebSocketMessage,
  WebSocketOptions,
  WebSocketRequestOptions,
} from "./websocket/index.ts";

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

/**
 * Sends a custom message to the master, like Locust's `environment.runner.send_message(type, data)`;
 * a master.py handler registered with `environment.runner.register_message(type, fn)` gets it.
 * Call it from a task or an onMessage handler. Data that cannot be sent (functions, Dates, class
 * instances) is logged once per type and dropped: use plain objects, arrays and scalars.
 */
export function sendMessage(type: string, data?: unknown): void {
  currentScope("sendMessage").sendMessage(type, data ?? null);
}

// Test data (docs/TEST-DATA.md): feeder("users.csv", { order }) reads a CSV or JSON-lines file once
// per process; distributor("name") is the worker's side of locust-plugins' Distributor.
export { distributor } from "./data/distributor.ts";
export type { Distributor, DistributorOptions } from "./data/distributor.ts";
export { feeder } from "./data/feeder.ts";
export type { Feeder, FeederOptions, FeederOrder } from "./data/feeder.ts";
