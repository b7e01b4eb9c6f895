// One call, recorded: a unary call is one request; a server stream is one request too, from its
// start to its status, with the bytes of every message (time to first message is in the result,
// not in the stats). A non-OK status is a failure naming the code and message, and is returned.
import { type ClientHttp2Stream, type Http2Session, constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import type { Channel } from "./channel.ts";
import { FrameParser, frame } from "./frames.ts";
import type { Method } from "./proto.ts";
import { CODE, failureText, fromResetCode, isGrpcContentType, notGrpc, statusName } from "./status.ts";
import type { GrpcResult, GrpcStreamOptions } from "./types.ts";

export const REQUEST_TYPE = "gRPC";
/** gRPC's default limit for a received message (grpc-go, grpc-js): 4 MiB. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** A server's timer and ours tick apart by about a millisecond: its DEADLINE_EXCEEDED this near ours is ours. */
const DEADLINE_SLACK_MS = 2;

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
  /** Request headers: the method's own plus the metadata. */
  readonly headers: OutgoingHttpHeaders;
  readonly deadlineMs: number | undefined;
  readonly onMessage: GrpcStreamOptions["onMessage"];
}

/** The request headers of a method (PROTOCOL-HTTP2.md, Requests), before metadata and timeout. */
export function methodHeaders(method: Method): OutgoingHttpHeaders {
  return {
    ":method": "POST",
    ":path": method.path,
    "content-type": "application/grpc",
    te: "trailers",
    "user-agent": "loadworker-grpc",
  };
}

export function grpcCall(host: CallHost, channel: Channel, method: Method, request: unknown, settings: CallSettings): Promise<GrpcResult> {
  const body = frame(method.requestSerialize(request)); // throws for a request it cannot encode: the task's mistake
  return new Promise((resolve, reject) => {
    const start = host.clock.now();
    const messages: unknown[] = [];
    const parser = new FrameParser(MAX_MESSAGE_BYTES);
    const { onMessage, deadlineMs } = settings;
    let bytes = 0;
    let count = 0;
    let last: unknown;
    let firstMessageMs: number | undefined;
    let code: number | undefined;
    let details = "";
    let httpStatus: number | undefined;
    let ended: "deadline" | "cancelled" | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let streamError: Error | undefined;

    const stream = channel.request(
      deadlineMs === undefined ? settings.headers : { ...settings.headers, "grpc-timeout": timeoutHeader(deadlineMs) },
    );
    const session = stream.session; // Bun unsets stream.session once the stream closed
    const handle = { cancel: () => end("cancelled", CODE.CANCELLED, "cancelled by the client") };
    host.calls.add(handle);
    // The client's own wording only for the deadline it enforced: the details and the recorded text agree.
    if (deadlineMs !== undefined) timer = setTimeout(() => end("deadline", CODE.DEADLINE_EXCEEDED, deadlineText(deadlineMs)), deadlineMs);

    function end(why: "deadline" | "cancelled", status: number, text: string): void {
      if (code !== undefined || ended !== undefined) return;
      ended = why;
      code = status;
      details = text;
      stream.close(constants.NGHTTP2_CANCEL);
      finish();
    }
    const status = (headers: IncomingHttpHeaders) => {
      const value = headers["grpc-status"];
      if (value === undefined || code !== undefined) return;
      code = Number(value);
      details = decodeMessage(headers["grpc-message"]);
    };
    const onData = (message: Buffer) => {
      bytes += message.length;
      const decoded = method.responseDeserialize(message);
      if (count++ === 0) firstMessageMs = host.clock.now() - start;
      last = decoded;
      if (onMessage === undefined) messages.push(decoded);
      else onMessage(decoded);
    };

    stream.on("response", (headers: IncomingHttpHeaders) => {
      httpStatus = Number(headers[":status"]);
      // A grpc-status says the server speaks gRPC; without one, a web server's body is not gRPC frames.
      const contentType = headers["content-type"];
      if (headers["grpc-status"] === undefined && (httpStatus !== 200 || !isGrpcContentType(contentType))) {
        const [notGrpcCode, text] = notGrpc(httpStatus, contentType);
        return fail(notGrpcCode, text);
      }
      status(headers); // a Trailers-Only response carries the status here
    });
    stream.on("data", (chunk: Buffer) => {
      if (code !== undefined) return;
      try {
        const error = parser.push(chunk, onData);
        if (error !== undefined) fail(error.code === "too_big" ? CODE.RESOURCE_EXHAUSTED : CODE.INTERNAL, error.message);
      } catch (error) {
        fail(
          CODE.INTERNAL,
          `a message could not be decoded, or onMessage threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    });
    stream.on("trailers", status);
    stream.on("error", (error: Error) => {
      streamError = error;
    });
    stream.on("close", finish);
    stream.end(body);

    function fail(status: number, text: string): void {
      code = status;
      details = text;
      stream.close(constants.NGHTTP2_CANCEL);
    }

    function finish(): void {
      if (!host.calls.delete(handle)) return;
      if (timer !== undefined) clearTimeout(timer);
      const ms = host.clock.now() - start;
      if (code === undefined) [code, details] = statusWithout(stream, session, httpStatus, streamError, channel);
      else if (code === CODE.OK && parser.partial > 0) [code, details] = [CODE.INTERNAL, "the stream ended inside a message"];
      else if (isOurDeadline(code, ms, deadlineMs)) details = deadlineText(deadlineMs as number);
      if (ended === "cancelled" && host.signal?.aborted === true) return reject(abortError(host.signal));
      if (code === CODE.OK) host.recorder.success(REQUEST_TYPE, settings.name, ms, bytes);
      else host.recorder.failure(REQUEST_TYPE, settings.name, ms, failureText(code, details));
      const ok = code === CODE.OK;
      resolve({
        ok,
        code,
        status: statusName(code),
        details: ok ? "" : details,
        message: last,
        messages,
        count,
        bytes,
        ms,
        firstMessageMs,
      });
    }
  });
}

// No grpc-status came (a response that is not gRPC's failed at its headers): the reset or the
// connection tells what happened (PROTOCOL-HTTP2.md).
function statusWithout(
  stream: ClientHttp2Stream,
  session: Http2Session | undefined,
  httpStatus: number | undefined,
  error: Error | undefined,
  channel: Channel,
): [number, string] {
  const connectError = channel.lastError;
  if (httpStatus === undefined && (connectError !== undefined || error !== undefined))
    return [CODE.UNAVAILABLE, connectError ?? error?.message ?? "the connection failed"];
  // A server that went away (killed, crashed) takes its streams with it; Bun then shows them reset
  // with CANCEL or ended, though no RST_STREAM came. grpc-go and grpc-js call this UNAVAILABLE.
  if (session === undefined || session.destroyed || session.closed)
    return [CODE.UNAVAILABLE, `the connection to ${channel.target} was lost before the call's status came`];
  const rstCode = stream.rstCode;
  if (rstCode !== undefined && rstCode !== constants.NGHTTP2_NO_ERROR) return fromResetCode(rstCode);
  return [CODE.UNKNOWN, error?.message ?? "the stream ended without a gRPC status"];
}

/**
 * The server enforcing our grpc-timeout may answer just before our timer fires: the same deadline,
 * so the same row. A DEADLINE_EXCEEDED it sends earlier is its own (an upstream's) and keeps its text.
 */
export function isOurDeadline(code: number, ms: number, deadlineMs: number | undefined): boolean {
  return code === CODE.DEADLINE_EXCEEDED && deadlineMs !== undefined && ms >= deadlineMs - DEADLINE_SLACK_MS;
}

function deadlineText(deadlineMs: number): string {
  return `deadline of ${deadlineMs} ms exceeded`;
}

// At most 8 digits (PROTOCOL-HTTP2.md, Timeout): milliseconds, or seconds past 27 hours.
export function timeoutHeader(ms: number): string {
  const millis = Math.ceil(ms);
  return millis <= 99_999_999 ? `${millis}m` : `${Math.min(Math.ceil(ms / 1000), 99_999_999)}S`;
}

// grpc-message is percent-encoded (PROTOCOL-HTTP2.md, Responses).
function decodeMessage(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not valid percent-encoding: shown as sent
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("the gRPC call was cancelled: the user was stopped", { cause: reason });
  error.name = "AbortError";
  return error;
}
