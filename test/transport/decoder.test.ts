// The incremental frame decoder: any chunking of the same bytes yields the same messages.
import { describe, expect, test } from "bun:test";
import { type Decoded, FrameDecoder, MAX_MESSAGE_PARTS } from "../../src/transport/decoder.ts";
import { encodeCommand, encodeFrame, FLAG_MORE, ZmtpError } from "../../src/transport/zmtp.ts";
import { concat } from "../support/fuzz.ts";
import { pattern } from "./support.ts";

const MiB = 1024 * 1024;

/** A stream with short, long, empty, multipart and command frames. */
const stream = concat([
  encodeFrame(pattern(1, 1)),
  encodeCommand("PING", Uint8Array.of(0, 10)),
  encodeFrame(pattern(300, 2), FLAG_MORE),
  encodeFrame(new Uint8Array(0), FLAG_MORE),
  encodeFrame(pattern(70 * 1024, 3)),
  encodeFrame(new Uint8Array(0)),
]);
const expected: Decoded[] = [
  { kind: "message", frames: [pattern(1, 1)] },
  { kind: "command", body: Uint8Array.of(4, 0x50, 0x49, 0x4e, 0x47, 0, 10) },
  { kind: "message", frames: [pattern(300, 2), new Uint8Array(0), pattern(70 * 1024, 3)] },
  { kind: "message", frames: [new Uint8Array(0)] },
];

function decodeInChunks(bytes: Uint8Array, chunkSize: (i: number) => number, max = 16 * MiB): Decoded[] {
  const decoder = new FrameDecoder(max);
  const out: Decoded[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, chunkSize(i));
    out.push(...decoder.push(bytes.subarray(at, at + size)));
    at += size;
  }
  return out;
}

/** The error that ends what push() returned (a violation is the last item, never a throw). */
function errorOf(items: Decoded[]): ZmtpError {
  const last = items.at(-1);
  if (last?.kind === "error" && last.error instanceof ZmtpError) return last.error;
  throw new Error(`expected a ZmtpError as the last item, got ${JSON.stringify(last)}`);
}

describe("the frame decoder", () => {
  test("decodes many frames from one chunk", () => {
    expect(decodeInChunks(stream, () => stream.length)).toEqual(expected);
  });

  test("decodes the same stream fed byte by byte", () => {
    expect(decodeInChunks(stream, () => 1)).toEqual(expected);
  });

  test("decodes the same stream split at odd places", () => {
    for (const sizes of [[2], [3, 7], [9, 1, 64], [8, 10, 255, 1000], [65_536]]) {
      expect(decodeInChunks(stream, (i) => sizes[i % sizes.length] ?? 1)).toEqual(expected);
    }
  });

  test("reassembles a 1 MiB frame that arrives in 64 KiB chunks", () => {
    const [item] = decodeInChunks(encodeFrame(pattern(MiB, 9)), () => 65_536);
    expect(item).toEqual({ kind: "message", frames: [pattern(MiB, 9)] });
  });

  test("returns plain copies, not views into the caller's chunk", () => {
    const chunk = encodeFrame(Uint8Array.of(1, 2, 3));
    const [item] = new FrameDecoder(100).push(chunk);
    chunk.fill(0);
    expect(item).toEqual({ kind: "message", frames: [Uint8Array.of(1, 2, 3)] });
  });

  test("rejects a header claiming 2 GiB as soon as the 9 header bytes are in, without allocating", () => {
    const decoder = new FrameDecoder(16 * MiB);
    const header = Uint8Array.of(0x02, 0, 0, 0, 0, 0x80, 0, 0, 0);
    expect(decoder.push(header.subarray(0, 8))).toEqual([]);
    const error = errorOf(decoder.push(header.subarray(8)));
    expect(error.code).toBe("frame-too-large");
    expect(error.message).toContain("2147483648-byte frame, over the 16777216-byte limit (maxFrameBytes)");
  });

  test("rejects sizes beyond 2^53 the same way", () => {
    const header = Uint8Array.of(0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    expect(errorOf(new FrameDecoder(16 * MiB).push(header)).code).toBe("frame-too-large");
  });

  test("accepts a frame of exactly maxFrameBytes and rejects one byte more", () => {
    expect(decodeInChunks(encodeFrame(new Uint8Array(1000)), () => 100, 1000)).toHaveLength(1);
    expect(errorOf(new FrameDecoder(1000).push(encodeFrame(new Uint8Array(1001)))).code).toBe("frame-too-large");
  });

  test("caps a multipart message's total size with the same limit", () => {
    const decoder = new FrameDecoder(1000);
    decoder.push(encodeFrame(new Uint8Array(600), FLAG_MORE));
    expect(errorOf(decoder.push(encodeFrame(new Uint8Array(600)))).message).toContain("multipart message over 1000 bytes");
  });

  test("caps the number of parts in one message", () => {
    const decoder = new FrameDecoder(16 * MiB);
    const empty = encodeFrame(new Uint8Array(0), FLAG_MORE);
    for (let i = 0; i < MAX_MESSAGE_PARTS - 1; i++) decoder.push(empty);
    expect(errorOf(decoder.push(empty)).code).toBe("frame-too-large");
  });

  test("rejects reserved flag bits, commands with MORE, and commands inside a multipart message", () => {
    expect(errorOf(new FrameDecoder(100).push(Uint8Array.of(0x08, 0))).code).toBe("bad-frame");
    expect(errorOf(new FrameDecoder(100).push(Uint8Array.of(0x05, 0))).code).toBe("bad-frame");
    const decoder = new FrameDecoder(100);
    decoder.push(encodeFrame(Uint8Array.of(1), FLAG_MORE));
    expect(errorOf(decoder.push(encodeCommand("PING", Uint8Array.of(0, 0)))).message).toContain("middle of a multipart");
  });
});
