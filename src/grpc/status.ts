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

const DEADLINE_EXCEEDED = 4;
const UNAVAILABLE = 14;

/**
 * The error text a failed call records: the status's name and its message, e.g. "NOT_FOUND: no
 * such user". Locust keeps one failure row per text, so what grpc-js measures into its own
 * messages comes out: a deadline reads as the deadline that was set (grpc-js says "after 0.103s,
 * LB pick: 0.001s, remote_addr=…", different each time), and a connection error loses its timestamp.
 */
export function failureText(code: number, details: string, deadlineMs: number | undefined): string {
  if (code === DEADLINE_EXCEEDED && deadlineMs !== undefined) return `DEADLINE_EXCEEDED: deadline of ${deadlineMs} ms exceeded`;
  if (code === UNAVAILABLE) details = details.replace(/ \(\d{4}-\d\d-\d\dT[^)]*\)/g, "");
  return details === "" ? statusName(code) : `${statusName(code)}: ${details}`;
}
