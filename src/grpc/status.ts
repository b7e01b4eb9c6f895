// gRPC status codes by name (grpc/doc/statuscodes.md), for the recorded failure and the result.
const NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

/** The codes this client sets itself. */
export const CODE = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export function statusName(code: number): string {
  return NAMES[code] ?? `CODE_${code}`;
}

/**
 * The error text a failed call records: the status's name and its message, e.g. "NOT_FOUND: no
 * such user". Locust keeps one failure row per text, so a deadline reads as the deadline that
 * was set, whether the client or the server noticed it first (a server's text may carry times).
 */
export function failureText(code: number, details: string, deadlineMs: number | undefined): string {
  if (code === CODE.DEADLINE_EXCEEDED && deadlineMs !== undefined) return `DEADLINE_EXCEEDED: deadline of ${deadlineMs} ms exceeded`;
  return details === "" ? statusName(code) : `${statusName(code)}: ${details}`;
}

/** A response without grpc-status whose HTTP status is not 200 (grpc/doc/http-grpc-status-mapping.md). */
export function fromHttpStatus(status: number): number {
  if (status === 400) return CODE.INTERNAL;
  if (status === 401) return CODE.UNAUTHENTICATED;
  if (status === 403) return CODE.PERMISSION_DENIED;
  if (status === 404) return CODE.UNIMPLEMENTED;
  if (status === 429 || status === 502 || status === 503 || status === 504) return CODE.UNAVAILABLE;
  return CODE.UNKNOWN;
}

/** A stream the server reset without a status (PROTOCOL-HTTP2.md, Errors). */
export function fromResetCode(rstCode: number): [number, string] {
  const text = `the server reset the stream (HTTP/2 error ${rstCode})`;
  if (rstCode === 0x7) return [CODE.UNAVAILABLE, `${text}: refused, not processed`]; // REFUSED_STREAM
  if (rstCode === 0x8) return [CODE.CANCELLED, text]; // CANCEL
  if (rstCode === 0xb) return [CODE.RESOURCE_EXHAUSTED, text]; // ENHANCE_YOUR_CALM
  if (rstCode === 0xc) return [CODE.PERMISSION_DENIED, text]; // INADEQUATE_SECURITY
  return [CODE.INTERNAL, text];
}
