// HTTP/2 frames (RFC 9113 §4, §6): the 9-byte header, a reader that cuts a byte stream into
// frames across socket chunks, and the few frames a client writes.

export const PREFACE = new TextEncoder().encode("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** Frame types. */
export const T = {
  DATA: 0,
  HEADERS: 1,
  PRIORITY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PUSH_PROMISE: 5,
  PING: 6,
  GOAWAY: 7,
  WINDOW_UPDATE: 8,
  CONTINUATION: 9,
} as const;

/** Flags. */
export const F = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

/** Our SETTINGS_MAX_FRAME_SIZE is the default: a peer's frame above it is an error. */
const MAX_FRAME = 16_384;

/** A frame: its payload is `bytes[start, end)` (no view made: subarray() costs more than most frames' handling). */
export type OnFrame = (type: number, flags: number, stream: number, bytes: Uint8Array, start: number, end: number) => void;

export class FrameReader {
  /** The status line, when the server's first bytes were an HTTP/1.x response (h2c to a server without it). */
  http1Answer: string | undefined;
  private kept: Uint8Array | null = null; // the start of a frame that continues in the next chunk
  private started = false; // a whole frame was read: later bytes are never the server's first

  /** Calls `onFrame` for each complete frame; returns why the stream is not HTTP/2, if it is not. */
  push(chunk: Uint8Array, onFrame: OnFrame): string | undefined {
    let bytes = chunk;
    if (this.kept !== null) {
      bytes = new Uint8Array(this.kept.length + chunk.length);
      bytes.set(this.kept);
      bytes.set(chunk, this.kept.length);
      this.kept = null;
    }
    let at = 0;
    while (bytes.length - at >= 9) {
      const length = ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number);
      if (length > MAX_FRAME) {
        if (!this.started && at === 0) this.http1Answer = http1StatusLine(bytes);
        return `a frame of ${length} bytes, above the ${MAX_FRAME} we allow`;
      }
      if (bytes.length - at < 9 + length) break;
      const type = bytes[at + 3] as number;
      const flags = bytes[at + 4] as number;
      const stream = readU31(bytes, at + 5);
      onFrame(type, flags, stream, bytes, at + 9, at + 9 + length);
      at += 9 + length;
    }
    if (at > 0) this.started = true;
    if (at < bytes.length) this.kept = bytes.slice(at);
    return undefined;
  }
}

// "HTTP/1.1 400 Bad Request" read as a frame header is a length of 4,740,180 ("HTT"): always too big.
function http1StatusLine(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 80));
  return /^HTTP\/1\.[01] /.test(head) ? head.split("\r\n", 1)[0] : undefined;
}

export function readU31(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] as number) & 0x7f) * 2 ** 24 + ((bytes[at + 1] as number) << 16)) |
    ((bytes[at + 2] as number) << 8) |
    (bytes[at + 3] as number)
  );
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) * 2 ** 24 + (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number))
  );
}

/** A frame: header and payload in one buffer. */
export function frame(type: number, flags: number, stream: number, payload: Uint8Array, start = 0, end = payload.length): Uint8Array {
  const length = end - start;
  const out = new Uint8Array(9 + length);
  out[0] = length >>> 16;
  out[1] = (length >>> 8) & 0xff;
  out[2] = length & 0xff;
  out[3] = type;
  out[4] = flags;
  writeU32(out, 5, stream);
  out.set(start === 0 && end === payload.length ? payload : payload.subarray(start, end), 9);
  return out;
}

/** A request's HEADERS frame, and CONTINUATION frames when its block is larger than a frame. */
export function headerFrames(stream: number, block: Uint8Array, endStream: boolean, maxFrame: number): Uint8Array[] {
  const end = endStream ? F.END_STREAM : 0;
  if (block.length <= maxFrame) return [frame(T.HEADERS, F.END_HEADERS | end, stream, block)];
  const frames = [frame(T.HEADERS, end, stream, block, 0, maxFrame)];
  for (let at = maxFrame; at < block.length; at += maxFrame) {
    const to = Math.min(block.length, at + maxFrame);
    frames.push(frame(T.CONTINUATION, to === block.length ? F.END_HEADERS : 0, stream, block, at, to));
  }
  return frames;
}

/** A SETTINGS frame's (identifier, value) pairs. */
export function settingsOf(payload: Uint8Array): [number, number][] {
  const pairs: [number, number][] = [];
  for (let at = 0; at + 6 <= payload.length; at += 6)
    pairs.push([((payload[at] as number) << 8) | (payload[at + 1] as number), readU32(payload, at + 2)]);
  return pairs;
}

export function windowUpdate(stream: number, increment: number): Uint8Array {
  const payload = new Uint8Array(4);
  writeU32(payload, 0, increment);
  return frame(T.WINDOW_UPDATE, 0, stream, payload);
}

export function rstStream(stream: number, code: number): Uint8Array {
  const payload = new Uint8Array(4);
  writeU32(payload, 0, code);
  return frame(T.RST_STREAM, 0, stream, payload);
}

export function goaway(lastStream: number, code: number): Uint8Array {
  const payload = new Uint8Array(8);
  writeU32(payload, 0, lastStream);
  writeU32(payload, 4, code);
  return frame(T.GOAWAY, 0, 0, payload);
}

function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}
