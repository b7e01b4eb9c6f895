// Incremental ZMTP frame decoder: TCP chunks split anywhere in, whole commands and messages out.
// Sizes are checked in the header, before any allocation, so a peer claiming a 2 GiB frame
// costs nine bytes of buffering, not 2 GiB.
import { FLAG_COMMAND, FLAG_LONG, FLAG_MORE, ZmtpError } from "./zmtp.ts";

export type Decoded =
  | { kind: "command"; body: Uint8Array }
  | { kind: "message"; frames: Uint8Array[] }
  /** A protocol violation, always the last item: what came before it in the chunk still counts. */
  | { kind: "error"; error: ZmtpError };

/** Locust sends one frame per message; a bound on parts stops a flood of empty MORE frames. */
export const MAX_MESSAGE_PARTS = 1024;

const KNOWN_FLAGS = FLAG_MORE | FLAG_LONG | FLAG_COMMAND;

export class FrameDecoder {
  private readonly header = new Uint8Array(9);
  private headerHave = 0;
  private body: Uint8Array | undefined;
  private bodyHave = 0;
  private flags = 0;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private failure: ZmtpError | undefined;

  /** `maxFrameBytes` caps one frame and also the sum of a multipart message's frames. */
  constructor(private readonly maxFrameBytes: number) {}

  /**
   * Consumes the whole chunk. The first protocol violation ends the list with an error item, after
   * the items decoded before it (a valid message is delivered even if junk follows it in the same
   * TCP chunk); from then on every push returns that error again: the connection must close.
   */
  push(chunk: Uint8Array): Decoded[] {
    if (this.failure !== undefined) return [{ kind: "error", error: this.failure }];
    const out: Decoded[] = [];
    try {
      this.consume(chunk, out);
    } catch (error) {
      if (!(error instanceof ZmtpError)) throw error;
      this.failure = error;
      out.push({ kind: "error", error });
    }
    return out;
  }

  private consume(chunk: Uint8Array, out: Decoded[]): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.body === undefined) {
        i = this.readHeader(chunk, i);
        if (this.body === undefined) continue; // header still incomplete
      } else {
        const take = Math.min(this.body.length - this.bodyHave, chunk.length - i);
        this.body.set(chunk.subarray(i, i + take), this.bodyHave);
        this.bodyHave += take;
        i += take;
      }
      if (this.bodyHave === this.body.length) this.finishFrame(out);
    }
  }

  private readHeader(chunk: Uint8Array, i: number): number {
    if (this.headerHave === 0) {
      const flags = chunk[i] ?? 0;
      checkFlags(flags, this.parts.length > 0);
      this.header[0] = flags;
      this.headerHave = 1;
      i += 1;
    }
    const needed = ((this.header[0] ?? 0) & FLAG_LONG) !== 0 ? 9 : 2;
    const take = Math.min(needed - this.headerHave, chunk.length - i);
    this.header.set(chunk.subarray(i, i + take), this.headerHave);
    this.headerHave += take;
    if (this.headerHave < needed) return i + take;

    this.flags = this.header[0] ?? 0;
    const size = needed === 2 ? (this.header[1] ?? 0) : this.longSize();
    if (size > this.maxFrameBytes || this.partsBytes + size > this.maxFrameBytes) {
      const what = size > this.maxFrameBytes ? `a ${size}-byte frame` : `a multipart message over ${this.maxFrameBytes} bytes`;
      throw new ZmtpError("frame-too-large", `peer announced ${what}, over the ${this.maxFrameBytes}-byte limit (maxFrameBytes)`);
    }
    this.body = new Uint8Array(size);
    this.bodyHave = 0;
    this.headerHave = 0;
    return i + take;
  }

  /** Sizes above 2^53 cannot be represented exactly, but anything that large is over the cap anyway. */
  private longSize(): number {
    const view = new DataView(this.header.buffer, 1, 8);
    return view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  }

  private finishFrame(out: Decoded[]): void {
    const body = this.body ?? new Uint8Array(0);
    this.body = undefined;
    this.bodyHave = 0;
    if ((this.flags & FLAG_COMMAND) !== 0) {
      out.push({ kind: "command", body });
      return;
    }
    this.parts.push(body);
    this.partsBytes += body.length;
    if ((this.flags & FLAG_MORE) !== 0) {
      if (this.parts.length >= MAX_MESSAGE_PARTS) {
        throw new ZmtpError("frame-too-large", `peer sent a message with more than ${MAX_MESSAGE_PARTS} parts`);
      }
      return;
    }
    out.push({ kind: "message", frames: this.parts });
    this.parts = [];
    this.partsBytes = 0;
  }
}

function checkFlags(flags: number, inMultipart: boolean): void {
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    throw new ZmtpError("bad-frame", `peer sent a frame with reserved flag bits set (0x${flags.toString(16)})`);
  }
  if ((flags & FLAG_COMMAND) === 0) return;
  if ((flags & FLAG_MORE) !== 0) throw new ZmtpError("bad-frame", "peer sent a command frame with the MORE flag");
  if (inMultipart) throw new ZmtpError("bad-frame", "peer sent a command in the middle of a multipart message");
}
