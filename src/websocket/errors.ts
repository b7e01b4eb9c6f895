// What a WebSocket call rejects with. Most failures are recorded first (a failure row at the
// master) and then thrown with `recorded: true`, so that the task ends without an exception report.

/** Every code a WebSocketError can carry; the set is part of the public API. */
export type WebSocketErrorCode =
  | "ECONNREFUSED" // nothing listens on host:port
  | "ECONNRESET" // the connection was reset or ended without a close frame
  | "ENOTFOUND" // the host name did not resolve
  | "ETLS" // the TLS handshake failed
  | "ENETWORK" // any other socket error
  | "EUPGRADE" // the server did not switch protocols (no 101, or a 101 that does not fit the request)
  | "ECLOSED" // the server closed the connection, or the socket was closed before this call
  | "ETIMEDOUT" // connect, receive or request did not finish within timeoutMs
  | "ETOOBIG" // the server sent a message larger than maxMessageBytes (closed with 1009)
  | "EINBOXFULL" // messages nobody read filled the inbox past maxInboxMessages or maxInboxBytes (closed with 1008)
  | "EPROTO" // the server broke the protocol (closed with 1002 or 1007)
  | "EINVALIDURL" // the URL cannot be parsed, is relative without a host, or is not ws/wss/http/https
  | "EINVALIDOPTION"; // an option has a value it cannot have

export class WebSocketError extends Error {
  readonly code: WebSocketErrorCode;
  /** The failure is already in the stats: the user loop ends the task quietly (no exception report). */
  readonly recorded: boolean;
  constructor(code: WebSocketErrorCode, message: string, recorded: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "WebSocketError";
    this.code = code;
    this.recorded = recorded;
  }
}

/**
 * What a call on a socket its user's stop closed rejects with: ECLOSED, unrecorded, named
 * AbortError (isAbortError), so a killed task that calls again ends unreported.
 */
export function userStopped(href: string, reason: unknown): WebSocketError {
  const error = new WebSocketError("ECLOSED", `the WebSocket to ${href} was closed: the user stopped`, false, reason);
  error.name = "AbortError";
  return error;
}

/** True for a WebSocket failure that was recorded before it was thrown. */
export function isRecordedFailure(error: unknown): boolean {
  return error instanceof WebSocketError && error.recorded;
}

/** Our close for what the server sent, by close code: the error it is recorded as, and the close frame's reason. */
export function closeOfOurs(code: number): readonly [WebSocketErrorCode, string] {
  if (code === 1009) return ["ETOOBIG", "message too big"];
  if (code === 1008) return ["EINBOXFULL", "inbox full"];
  return ["EPROTO", "protocol error"];
}
