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
 * such user". Locust keeps one failure row per text; a deadline the client enforced reads
 * "deadline of 100 ms exceeded" (call.ts), the server's own DEADLINE_EXCEEDED keeps its message.
 */
export function failureText(code: number, details: string): string {
  return details === "" ? statusName(code) : `${statusName(code)}: ${details}`;
}

/**
 * A response that is not gRPC's: an HTTP status other than 200, or a content-type that is not
 * application/grpc (a web server or proxy answering instead). Read as grpc-go reads it: the
 * code from the HTTP status (200 is UNKNOWN), the message naming both, before any body is read.
 */
export function notGrpc(httpStatus: number, contentType: string | undefined): [number, string] {
  const type = contentType === undefined ? "no content-type" : `content-type ${JSON.stringify(contentType)}`;
  // 502 and 504 are a gateway's: the proxy (nginx's grpc_pass, Envoy) is there, the server behind it is not.
  const hint = httpStatus === 502 || httpStatus === 504 ? "is the gRPC server behind the proxy up?" : "is the target a gRPC server?";
  const text = isGrpcContentType(contentType)
    ? `HTTP status ${httpStatus}`
    : `HTTP status ${httpStatus} with ${type}: not a gRPC response (${hint})`;
  return [fromHttpStatus(httpStatus), text];
}

/** application/grpc, or with a subtype (application/grpc+proto) or parameters (grpc-go's rule). */
export function isGrpcContentType(value: string | undefined): boolean {
  if (value === undefined || !value.startsWith("application/grpc")) return false;
  const next = value.charCodeAt(16); // after "application/grpc"
  return Number.isNaN(next) || next === 0x2b || next === 0x3b; // end, "+", ";"
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
