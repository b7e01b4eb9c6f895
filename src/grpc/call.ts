// One call, recorded: a unary call is one request; a server stream is one request too, from its
// start to its status, with the bytes of every message (time to first message is in the result,
// not in the stats). A non-OK status is a failure naming the code and message, and is returned.
import { type Client, type Metadata, type ServiceError, type StatusObject, status } from "@grpc/grpc-js";
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import type { Method } from "./proto.ts";
import { failureText, statusName } from "./status.ts";
import type { GrpcResult, GrpcStreamOptions } from "./types.ts";

export const REQUEST_TYPE = "gRPC";

/** What a call needs from its user's client. */
export interface CallHost {
  readonly recorder: Recorder;
  readonly clock: Clock;
  /** The user's kill: calls it cancels are not recorded (as HTTP calls a kill aborts). */
  readonly signal: AbortSignal | undefined;
  /** The calls in flight, so a kill or close can cancel them. */
  readonly calls: Set<{ cancel(): void }>;
}

/** A call's settings, resolved: the service's merged with the call's. */
export interface CallSettings {
  readonly name: string;
  readonly metadata: Metadata | undefined;
  /** Epoch ms, or undefined for none (grpc-js reads deadlines as wall-clock time). */
  readonly deadline: number | undefined;
  /** The deadline as it was given, for the failure's text. */
  readonly deadlineMs: number | undefined;
}

export function unaryCall(host: CallHost, channel: Client, method: Method, request: unknown, settings: CallSettings): Promise<GrpcResult> {
  return new Promise((resolve, reject) => {
    const start = host.clock.now();
    let bytes = 0;
    const deserialize = (buffer: Buffer) => {
      bytes += buffer.length;
      return method.responseDeserialize(buffer);
    };
    const options = settings.deadline === undefined ? {} : { deadline: settings.deadline };
    const done = (error: ServiceError | null, reply: unknown) => {
      host.calls.delete(call);
      const ms = host.clock.now() - start;
      if (error !== null) {
        if (killed(host, error.code)) return reject(abortError(host.signal));
        host.recorder.failure(REQUEST_TYPE, settings.name, ms, failureText(error.code, error.details, settings.deadlineMs));
        return resolve(result(error.code, error.details, [], bytes, ms, undefined));
      }
      host.recorder.success(REQUEST_TYPE, settings.name, ms, bytes);
      resolve(result(status.OK, "", [reply], bytes, ms, ms));
    };
    const call =
      settings.metadata === undefined
        ? channel.makeUnaryRequest(method.path, method.requestSerialize, deserialize, request, options, done)
        : channel.makeUnaryRequest(method.path, method.requestSerialize, deserialize, request, settings.metadata, options, done);
    host.calls.add(call);
  });
}

export function serverStreamCall(
  host: CallHost,
  channel: Client,
  method: Method,
  request: unknown,
  settings: CallSettings,
  onMessage: GrpcStreamOptions["onMessage"],
): Promise<GrpcResult> {
  return new Promise((resolve, reject) => {
    const start = host.clock.now();
    let bytes = 0;
    let count = 0;
    let last: unknown;
    let firstMessageMs: number | undefined;
    let final: StatusObject | undefined;
    const messages: unknown[] = [];
    const deserialize = (buffer: Buffer) => {
      bytes += buffer.length;
      return method.responseDeserialize(buffer);
    };
    const options = settings.deadline === undefined ? {} : { deadline: settings.deadline };
    const call =
      settings.metadata === undefined
        ? channel.makeServerStreamRequest(method.path, method.requestSerialize, deserialize, request, options)
        : channel.makeServerStreamRequest(method.path, method.requestSerialize, deserialize, request, settings.metadata, options);
    host.calls.add(call);
    call.on("data", (message: unknown) => {
      if (count++ === 0) firstMessageMs = host.clock.now() - start;
      last = message;
      if (onMessage === undefined) messages.push(message);
      else onMessage(message); // a throw here ends up in the stream's error: recorded as a failure below
    });
    // grpc-js emits "status" when the call ends, "error" besides for a non-OK one, and the stream
    // ends after the last message was delivered: the call is over at the later of the two.
    call.on("status", (s: StatusObject) => {
      final = s;
      if (call.readableEnded || call.destroyed) finish();
    });
    call.on("error", () => {}); // the status carries it
    call.on("close", () => finish());
    const finish = () => {
      if (!host.calls.delete(call)) return;
      const ms = host.clock.now() - start;
      const code = final?.code ?? status.UNKNOWN;
      const details = final?.details ?? "the stream closed without a status";
      if (code !== status.OK) {
        if (killed(host, code)) return reject(abortError(host.signal));
        host.recorder.failure(REQUEST_TYPE, settings.name, ms, failureText(code, details, settings.deadlineMs));
      } else host.recorder.success(REQUEST_TYPE, settings.name, ms, bytes);
      const out = result(code, code === status.OK ? "" : details, messages, bytes, ms, firstMessageMs);
      resolve({ ...out, message: last, count });
    };
  });
}

function result(
  code: number,
  details: string,
  messages: unknown[],
  bytes: number,
  ms: number,
  firstMessageMs: number | undefined,
): GrpcResult {
  return {
    ok: code === status.OK,
    code,
    status: statusName(code),
    details,
    message: messages[messages.length - 1],
    messages,
    count: messages.length,
    bytes,
    ms,
    firstMessageMs,
  };
}

function killed(host: CallHost, code: number): boolean {
  return code === status.CANCELLED && host.signal?.aborted === true;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("the gRPC call was cancelled: the user was stopped", { cause: reason });
  error.name = "AbortError";
  return error;
}
