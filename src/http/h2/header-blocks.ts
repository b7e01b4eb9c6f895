// A response's header block as it arrives: one HEADERS frame, maybe continued in CONTINUATION
// frames, decoded once complete. Every block is decoded, even for a stream we gave up on: the
// HPACK table is the connection's, and skipping one would corrupt the next.
import { Buffer } from "node:buffer";
import { F } from "./frames.ts";
import { HpackDecoder, HpackError } from "./hpack.ts";

export interface HeaderBlock {
  readonly stream: number;
  readonly fields: readonly (readonly [string, string])[];
  /** The HEADERS frame had END_STREAM: no body follows (or these are the trailers). */
  readonly endsStream: boolean;
}

export class HeaderBlocks {
  private readonly decoder = new HpackDecoder();
  private parts: Uint8Array[] | null = null;
  private stream = 0;
  private endsStream = false;

  /** A block is open: only its CONTINUATION may come next. */
  get open(): boolean {
    return this.parts !== null;
  }

  /** A HEADERS frame, `bytes[from, to)`: the block, once complete; or a string saying why the connection must end. */
  headers(flags: number, id: number, bytes: Uint8Array, from: number, to: number): HeaderBlock | string | undefined {
    let start = from;
    let end = to;
    if (flags & F.PADDED) {
      start += 1;
      end -= (bytes[from] ?? 0) as number;
    }
    if (flags & F.PRIORITY) start += 5;
    if (start > end) return "a HEADERS frame shorter than its padding";
    this.stream = id;
    this.endsStream = (flags & F.END_STREAM) !== 0;
    // A whole block in one frame (the usual case) is decoded where it lies.
    if (flags & F.END_HEADERS) return this.decoded(bytes, start, end);
    this.parts = [bytes.subarray(start, end)];
    return undefined;
  }

  continuation(flags: number, id: number, payload: Uint8Array): HeaderBlock | string | undefined {
    if (this.parts === null || id !== this.stream) return "CONTINUATION without HEADERS";
    this.parts.push(payload);
    return flags & F.END_HEADERS ? this.done() : undefined;
  }

  private done(): HeaderBlock | string {
    const parts = this.parts as Uint8Array[];
    this.parts = null;
    const block = Buffer.concat(parts);
    return this.decoded(block, 0, block.length);
  }

  private decoded(bytes: Uint8Array, start: number, end: number): HeaderBlock | string {
    try {
      const fields = this.decoder.decode(bytes, start, end);
      return { stream: this.stream, fields, endsStream: this.endsStream };
    } catch (error) {
      return error instanceof HpackError ? `HPACK: ${error.message}` : String(error);
    }
  }
}

/** The :status field's value as a number (NaN without one); pseudo-headers come first. */
export function statusOf(fields: readonly (readonly [string, string])[]): number {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as readonly [string, string];
    if (field[0] !== ":status") continue;
    const value = field[1];
    // Three digits, read as such: Number() of the string was 2% of an h2c request's CPU (bench/h2-profile.sh).
    if (value.length !== 3) return Number.NaN;
    let status = 0;
    for (let k = 0; k < 3; k++) {
      const digit = value.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) return Number.NaN;
      status = status * 10 + digit;
    }
    return status;
  }
  return Number.NaN;
}
