// HTTP/2 error codes (RFC 9113 §7) by name, for the failures a reset stream or a GOAWAY records:
// "RST_STREAM PROTOCOL_ERROR (1)" says what the server meant where "code 1" made the user look it up.

const NAMES = [
  "NO_ERROR",
  "PROTOCOL_ERROR",
  "INTERNAL_ERROR",
  "FLOW_CONTROL_ERROR",
  "SETTINGS_TIMEOUT",
  "STREAM_CLOSED",
  "FRAME_SIZE_ERROR",
  "REFUSED_STREAM",
  "CANCEL",
  "COMPRESSION_ERROR",
  "CONNECT_ERROR",
  "ENHANCE_YOUR_CALM",
  "INADEQUATE_SECURITY",
  "HTTP_1_1_REQUIRED",
] as const;

/** "PROTOCOL_ERROR (1)"; a code the RFC does not define is "code 42" (§7: treat it as INTERNAL_ERROR). */
export function errorCodeName(code: number): string {
  const name = NAMES[code];
  return name === undefined ? `code ${code}` : `${name} (${code})`;
}
