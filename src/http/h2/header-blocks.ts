// A response's header block as it arrives: one HEADERS frame, maybe continued in CONTINUATION
// frames, decoded once complete. Every block is decoded, even for a stream we gave up on: the
// HPACK table is the connection's, and skipping one would corrupt the next.
import { Buffer } from "node:buffer";
import { F } from "./frames.ts";
import { HpackDecoder, HpackError } from "./hpack.ts";

export interface HeaderBlock {
  readonly stream: number;
  readonly fields: [string, string][];
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

  /** A HEADERS frame: the block, once complete; or a string saying why the connection must end. */
  headers(flags: number, id: number, payload: Uint8Array): HeaderBlock | string | undefined {
    let start = 0;
    let end = payload.length;
    if (flags & F.PADDED) {
      start = 1;
      end -= payload[0] as number;
    }
    if (flags & F.PRIORITY) start += 5;
    if (start > end) return "a HEADERS frame shorter than its padding";
    this.parts = [payload.subarray(start, end)];
    this.stream = id;
    this.endsStream = (flags & F.END_STREAM) !== 0;
    return flags & F.END_HEADERS ? this.done() : undefined;
  }

  continuation(flags: number, id: number, payload: Uint8Array): HeaderBlock | string | undefined {
    if (this.parts === null || id !== this.stream) return "CONTINUATION without HEADERS";
    this.parts.push(payload);
    return flags & F.END_HEADERS ? this.done() : undefined;
  }

  private done(): HeaderBlock | string {
    const parts = this.parts as Uint8Array[];
    this.parts = null;
    try {
      const fields = this.decoder.decode(parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts));
      return { stream: this.stream, fields, endsStream: this.endsStream };
    } catch (error) {
      return error instanceof HpackError ? `HPACK: ${error.message}` : String(error);
    }
  }
}
