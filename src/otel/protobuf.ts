// The few protobuf writes the OTLP span encoder (otlp-spans.ts) needs, as the SDK's
// ProtobufWriter makes them (@opentelemetry/otlp-transformer): varints, fixed64 nanoseconds from
// epoch milliseconds, and length-delimited fields, attributes (KeyValue) and AnyValues made once
// into byte chunks that each batch copies.
import type { AttributeValue } from "@opentelemetry/api";

const utf8 = new TextEncoder();

export function varintSize(value: number): number {
  let size = 1;
  for (let v = value >>> 0; v > 127; v >>>= 7) size++;
  return size;
}

/** A uint32 varint at `pos`; returns the position after it. */
export function writeVarint(out: Uint8Array, pos: number, value: number): number {
  let v = value >>> 0;
  while (v > 127) {
    out[pos++] = (v & 127) | 128;
    v >>>= 7;
  }
  out[pos++] = v;
  return pos;
}

/**
 * Epoch milliseconds as fixed64 nanoseconds: the SDK's millisToHrTime then writeHrTimeAsFixed64
 * (otlp-transformer's common-serializer), the same arithmetic so the same bytes. The whole
 * seconds' part is kept for the next time: a batch's times fall in a few seconds.
 */
export class EpochNanos {
  private seconds = Number.NaN;
  private secondsMs = 0; // seconds × 1,000
  private low = 0; // the seconds' nanoseconds, its low and high words before the carry
  private high = 0;

  write(out: Uint8Array, pos: number, epochMs: number): number {
    const seconds = Math.trunc(epochMs / 1e3);
    if (seconds !== this.seconds) {
      const lowSeconds = seconds & 65535;
      const highSeconds = (seconds / 65536) >>> 0;
      const fromLow = lowSeconds * 1e9;
      const fromHigh = highSeconds * 1e9;
      this.low = (fromLow >>> 0) + ((((fromHigh & 65535) * 65536) >>> 0) as number);
      this.high = Math.floor(fromLow / 4294967296) + ((fromHigh / 65536) >>> 0);
      this.seconds = seconds;
      this.secondsMs = seconds * 1e3;
    }
    // epochMs % 1e3 without fmod (a library call, most of the encoder's time): the difference is
    // exact, the two being within a factor of 2 (Sterbenz), and never below 0, epochMs / 1e3 being
    // at least one of its own ulps below a whole second whenever epochMs is below it (fuzzed in
    // test/otel/otlp-spans.test.ts against the SDK's serializer).
    const low = this.low + Math.round((epochMs - this.secondsMs) * 1e6);
    const carry = Math.floor(low / 4294967296);
    return writeFixed64(out, pos, low >>> 0, (this.high + carry) >>> 0);
  }
}

function writeFixed64(out: Uint8Array, pos: number, low: number, high: number): number {
  out[pos] = low & 255;
  out[pos + 1] = (low >>> 8) & 255;
  out[pos + 2] = (low >>> 16) & 255;
  out[pos + 3] = low >>> 24;
  out[pos + 4] = high & 255;
  out[pos + 5] = (high >>> 8) & 255;
  out[pos + 6] = (high >>> 16) & 255;
  out[pos + 7] = high >>> 24;
  return pos + 8;
}

/** A field's tag and length, then `body`. */
export function delimited(field: number, body: Uint8Array): Uint8Array {
  const tag = (field << 3) | 2;
  const out = new Uint8Array(varintSize(tag) + varintSize(body.length) + body.length);
  const pos = writeVarint(out, writeVarint(out, 0, tag), body.length);
  out.set(body, pos);
  return out;
}

export const stringField = (field: number, text: string): Uint8Array => delimited(field, utf8.encode(text));

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const part of parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/** A KeyValue as field `field` of its message (attributes: 9 in a Span, 1 in a Resource). */
export const keyValue = (field: number, key: string, value: AttributeValue): Uint8Array =>
  delimited(field, concat(stringField(1, key), delimited(2, anyValue(value))));

/** An AnyValue's body, as the SDK's writeAnyValue writes an attribute value. */
export function anyValue(value: AttributeValue | null | undefined): Uint8Array {
  if (typeof value === "string") return stringField(1, value);
  if (typeof value === "boolean") return new Uint8Array([2 << 3, value ? 1 : 0]);
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return concat(new Uint8Array([3 << 3]), varint64(value));
    const out = new Uint8Array(9);
    out[0] = (4 << 3) | 1;
    new DataView(out.buffer).setFloat64(1, value, true);
    return out;
  }
  if (Array.isArray(value)) return delimited(5, concat(...value.map((item) => delimited(1, anyValue(item)))));
  return new Uint8Array(0);
}

// An int64 varint, negative numbers in two's complement (ten bytes), as protobuf writes int64.
function varint64(value: number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v > 127n) {
    bytes.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return new Uint8Array(bytes);
}
