// RFC 6455 framing, sans I/O: client frames out (masked, section 5.3), server frames in (never
// masked), reassembled into messages with the control frames handed over as they come.
import { getRandomValues } from "node:crypto";

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** What the parser finds in the server's bytes. */
export interface FrameEvents {
  /** A whole message; `payload` is still compressed when `compressed` (permessage-deflate). */
  message(payload: Uint8Array, binary: boolean, compressed: boolean): void;
  /** A close, ping or pong frame (payload ≤ 125 bytes). */
  control(opcode: number, payload: Uint8Array): void;
  /** The stream cannot go on: close with `code` (1002 protocol error, 1009 too big). */
  broken(code: number, reason: string): void;
}

// Masks come from a pool of random bytes refilled 8 KiB at a time, as the ws package does: one
// getRandomValues call per 2,048 frames instead of one per frame.
const masks = new Uint8Array(8192);
let maskAt = masks.length;

/** One client frame: FIN set, masked with fresh random bytes. */
export function encodeFrame(opcode: number, payload: Uint8Array, rsv1 = false): Uint8Array {
  const length = payload.length;
  const head = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = new Uint8Array(head + 4 + length);
  frame[0] = 0x80 | (rsv1 ? 0x40 : 0) | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 65536) {
    frame[1] = 0x80 | 126;
    frame[2] = length >>> 8;
    frame[3] = length & 0xff;
  } else {
    frame[1] = 0x80 | 127;
    const view = new DataView(frame.buffer);
    view.setUint32(2, Math.floor(length / 2 ** 32));
    view.setUint32(6, length >>> 0);
  }
  frame.set(payload, head + 4);
  mask(frame, head + 4, length);
  return frame;
}

/** Puts a fresh mask in the 4 bytes before `at` and masks `length` bytes from `at` in place. */
function mask(frame: Uint8Array, at: number, length: number): void {
  if (maskAt + 4 > masks.length) {
    getRandomValues(masks);
    maskAt = 0;
  }
  const m0 = masks[maskAt] as number;
  const m1 = masks[maskAt + 1] as number;
  const m2 = masks[maskAt + 2] as number;
  const m3 = masks[maskAt + 3] as number;
  maskAt += 4;
  frame[at - 4] = m0;
  frame[at - 3] = m1;
  frame[at - 2] = m2;
  frame[at - 1] = m3;
  let i = at;
  const end = at + length;
  for (; i + 3 < end; i += 4) {
    frame[i] = (frame[i] as number) ^ m0;
    frame[i + 1] = (frame[i + 1] as number) ^ m1;
    frame[i + 2] = (frame[i + 2] as number) ^ m2;
    frame[i + 3] = (frame[i + 3] as number) ^ m3;
  }
  const last = [m0, m1, m2];
  for (let k = 0; i < end; i++, k++) frame[i] = (frame[i] as number) ^ (last[k] as number);
}

/** The payload of a close frame: the code, then the UTF-8 reason (at most 123 bytes). */
export function closePayload(code: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason).subarray(0, 123);
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return payload;
}

const CLOSE_NAMES: Record<number, string> = {
  1000: "normal",
  1001: "going away",
  1002: "protocol error",
  1003: "unsupported data",
  1005: "no status",
  1007: "invalid data",
  1008: "policy violation",
  1009: "message too big",
  1011: "server error",
};

/** A close code in words, for failure messages. */
export function closeName(code: number): string {
  return CLOSE_NAMES[code] ?? (code >= 4000 ? "application" : "other");
}

/** Reassembles the server's frames into messages; stops at the first broken frame. */
export class FrameParser {
  private rest: Uint8Array | undefined; // bytes of a frame not complete yet
  private parts: Uint8Array[] = []; // a fragmented message's frames so far
  private partBytes = 0;
  private fragmented = false;
  private fragmentedBinary = false;
  private fragmentedCompressed = false;
  private stopped = false;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly compression: boolean,
    private readonly events: FrameEvents,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    const data = this.rest === undefined ? chunk : concat([this.rest, chunk], this.rest.length + chunk.length);
    this.rest = undefined;
    let at = 0;
    while (data.length - at >= 2 && !this.stopped) {
      const b0 = data[at] as number;
      const b1 = data[at + 1] as number;
      let length = b1 & 0x7f;
      let head = 2;
      if (length === 126) {
        if (data.length - at < 4) break;
        length = ((data[at + 2] as number) << 8) | (data[at + 3] as number);
        head = 4;
      } else if (length === 127) {
        if (data.length - at < 10) break;
        const view = new DataView(data.buffer, data.byteOffset + at + 2, 8);
        length = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
        head = 10;
      }
      const opcode = b0 & 0x0f;
      if (!this.checkHead(b0, b1, opcode, length)) return;
      if (data.length - at < head + length) break;
      const payload = data.subarray(at + head, at + head + length);
      at += head + length;
      this.frame(opcode, (b0 & 0x80) !== 0, (b0 & 0x40) !== 0, payload);
    }
    if (at < data.length && !this.stopped) this.rest = data.subarray(at);
  }

  /** Drops what is held (a stopped socket must not keep a half message). */
  stop(): void {
    this.stopped = true;
    this.rest = undefined;
    this.parts = [];
  }

  // Checked as soon as the header is in: a frame too big is refused before its bytes are held.
  private checkHead(b0: number, b1: number, opcode: number, length: number): boolean {
    if ((b1 & 0x80) !== 0) return this.broken(1002, "the server sent a masked frame");
    if ((b0 & 0x30) !== 0 || ((b0 & 0x40) !== 0 && (!this.compression || opcode === 0 || opcode >= 8)))
      return this.broken(1002, "the server set a reserved bit that no extension negotiated");
    if (opcode >= 8) {
      if (opcode > OPCODE.pong) return this.broken(1002, `the server sent an unknown control opcode ${opcode}`);
      if (length > 125 || (b0 & 0x80) === 0)
        return this.broken(1002, "the server sent a control frame longer than 125 bytes or fragmented");
      return true;
    }
    if (opcode > OPCODE.binary) return this.broken(1002, `the server sent an unknown data opcode ${opcode}`);
    if (opcode === OPCODE.continuation && !this.fragmented)
      return this.broken(1002, "the server sent a continuation frame with no message to continue");
    if (opcode !== OPCODE.continuation && this.fragmented)
      return this.broken(1002, "the server started a new message inside a fragmented one");
    if (this.partBytes + length > this.maxMessageBytes)
      return this.broken(1009, `the server sent a message of more than ${this.maxMessageBytes} bytes (maxMessageBytes); it was not read`);
    return true;
  }

  private frame(opcode: number, fin: boolean, rsv1: boolean, payload: Uint8Array): void {
    if (opcode >= 8) return this.events.control(opcode, payload);
    if (opcode !== OPCODE.continuation) {
      if (fin) return this.events.message(payload, opcode === OPCODE.binary, rsv1);
      this.fragmented = true;
      this.fragmentedBinary = opcode === OPCODE.binary;
      this.fragmentedCompressed = rsv1;
    }
    this.parts.push(payload);
    this.partBytes += payload.length;
    if (!fin) return;
    const whole = concat(this.parts, this.partBytes);
    this.parts = [];
    this.partBytes = 0;
    this.fragmented = false;
    this.events.message(whole, this.fragmentedBinary, this.fragmentedCompressed);
  }

  private broken(code: number, reason: string): false {
    this.stop();
    this.events.broken(code, reason);
    return false;
  }
}

export function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
