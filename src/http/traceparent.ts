// The W3C traceparent of a sampled call, "00-<trace id>-<span id>-01", from its six 32-bit id
// words (SpanIds, tracing.ts): written as latin1 bytes into a request, or as text for a call
// whose head is serialized anyway (its own headers, a redirect's next hop).
import type { SpanIds } from "./tracing.ts";

/** "00-" + 32 hex digits + "-" + 16 + "-01". */
export const TRACEPARENT_LENGTH = 55;

const DIGITS = "0123456789abcdef";
// A byte's two hex digits as latin1 codes: four lookups a word instead of eight shifts and masks.
const HIGH = Uint8Array.from({ length: 256 }, (_, b) => DIGITS.charCodeAt(b >>> 4));
const LOW = Uint8Array.from({ length: 256 }, (_, b) => DIGITS.charCodeAt(b & 15));

/** The 55 characters at `offset`: no string made per request. */
export function writeTraceparent(bytes: Uint8Array, offset: number, ids: SpanIds): void {
  bytes[offset] = 48; // "00-"
  bytes[offset + 1] = 48;
  bytes[offset + 2] = 45;
  writeHex8(bytes, offset + 3, ids.t0);
  writeHex8(bytes, offset + 11, ids.t1);
  writeHex8(bytes, offset + 19, ids.t2);
  writeHex8(bytes, offset + 27, ids.t3);
  bytes[offset + 35] = 45;
  writeHex8(bytes, offset + 36, ids.s0);
  writeHex8(bytes, offset + 44, ids.s1);
  bytes[offset + 52] = 45; // "-01"
  bytes[offset + 53] = 48;
  bytes[offset + 54] = 49;
}

export function traceparentText(ids: SpanIds): string {
  const bytes = new Uint8Array(TRACEPARENT_LENGTH);
  writeTraceparent(bytes, 0, ids);
  return String.fromCharCode(...bytes);
}

/** A 32-bit word as 8 lowercase hex digits, big-endian (how the SDK's samplers read an id's words). */
export function writeHex8(bytes: Uint8Array, offset: number, word: number): void {
  const a = word >>> 24;
  const b = (word >>> 16) & 255;
  const c = (word >>> 8) & 255;
  const d = word & 255;
  bytes[offset] = HIGH[a] as number;
  bytes[offset + 1] = LOW[a] as number;
  bytes[offset + 2] = HIGH[b] as number;
  bytes[offset + 3] = LOW[b] as number;
  bytes[offset + 4] = HIGH[c] as number;
  bytes[offset + 5] = LOW[c] as number;
  bytes[offset + 6] = HIGH[d] as number;
  bytes[offset + 7] = LOW[d] as number;
}
