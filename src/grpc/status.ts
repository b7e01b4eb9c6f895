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

export function statusName(code: number): string {
  return NAMES[code] ?? `CODE_${code}`;
}

/** The error text a failed call records: the status's name and its message, e.g. "NOT_FOUND: no such user". */
export function failureText(code: number, details: string): string {
  return details === "" ? statusName(code) : `${statusName(code)}: ${details}`;
}
