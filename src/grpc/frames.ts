// gRPC's message framing over HTTP/2 (PROTOCOL-HTTP2.md, Length-Prefixed-Message): a compressed
// flag byte and a 4-byte big-endian length before each message. Sans I/O: bytes in, messages out.

/** One message framed: flag 0 (we never compress), its length, its bytes. */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** What went wrong in the framing; the call ends with INTERNAL or RESOURCE_EXHAUSTED. */
export interface FrameError {
  readonly code: "compressed" | "too_big";
  readonly message: string;
}

/**
 * Reassembles messages from DATA chunks, which may split or join them anyhow. A message is
 * handed over as a Buffer of its own bytes (a view when it sits in one chunk).
 */
export class FrameParser {
  private pending: Buffer | undefined;

  constructor(private readonly maxMessageBytes: number) {}

  /** Calls `onMessage` for each whole message in `chunk`; returns an error that ends the stream. */
  push(chunk: Buffer, onMessage: (message: Buffer) => void): FrameError | undefined {
    let data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = undefined;
    while (data.length >= 5) {
      if (data[0] !== 0) return { code: "compressed", message: "the server sent a compressed message, which was not asked for" };
      const length = data.readUInt32BE(1);
      if (length > this.maxMessageBytes)
        return { code: "too_big", message: `a message of ${length} bytes is over the limit of ${this.maxMessageBytes}` };
      if (data.length < 5 + length) break;
      onMessage(data.subarray(5, 5 + length));
      data = data.subarray(5 + length);
    }
    if (data.length > 0) this.pending = Buffer.from(data); // a copy: the chunk's memory is not ours to keep
    return undefined;
  }

  /** Bytes of a message begun and not finished (a stream that ends here lost it). */
  get partial(): number {
    return this.pending?.length ?? 0;
  }
}
