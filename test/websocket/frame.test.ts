// RFC 6455 framing without sockets: client frames are masked and decode back; server frames are
// reassembled across chunk boundaries and fragments, with control frames in between; a broken or
// oversize frame stops the parser with the close code the RFC asks for.
import { describe, expect, test } from "bun:test";
import { closeName, encodeFrame, FrameParser, OPCODE } from "../../src/websocket/frame.ts";

/** A server frame (unmasked). */
function serverFrame(opcode: number, payload: Uint8Array, fin = true, extra = 0): Uint8Array {
  const length = payload.length;
  const head = length < 126 ? [length] : length < 65536 ? [126, length >> 8, length & 255] : [127, 0, 0, 0, 0, ...u32(length)];
  return new Uint8Array([(fin ? 0x80 : 0) | extra | opcode, ...head, ...payload]);
}
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const text = (s: string) => new TextEncoder().encode(s);

function parse(chunks: Uint8Array[], max = 1 << 20, compression = false) {
  const seen: string[] = [];
  const parser = new FrameParser(max, compression, {
    message: (payload, binary, compressed) =>
      seen.push(`${binary ? "binary" : "text"}${compressed ? "+z" : ""} ${new TextDecoder().decode(payload)}`),
    control: (opcode, payload) => seen.push(`control ${opcode} ${new TextDecoder().decode(payload)}`),
    broken: (code, reason) => seen.push(`broken ${code} ${reason}`),
  });
  for (const chunk of chunks) parser.push(chunk);
  return seen;
}

describe("client frames", () => {
  test.each([0, 5, 125, 126, 65535, 65536, 70_000])("a %i-byte payload is masked and unmasks to itself", (length) => {
    const payload = new Uint8Array(length).map((_, i) => i % 251);
    const frame = encodeFrame(OPCODE.binary, payload);
    expect(frame[0]).toBe(0x82);
    expect((frame[1] as number) & 0x80).toBe(0x80);
    const code = (frame[1] as number) & 0x7f;
    const head = code < 126 ? 2 : code === 126 ? 4 : 10;
    const declared =
      code < 126
        ? code
        : code === 126
          ? ((frame[2] as number) << 8) | (frame[3] as number)
          : Number(new DataView(frame.buffer).getBigUint64(2));
    expect(declared).toBe(length);
    const mask = frame.subarray(head, head + 4);
    const unmasked = frame.subarray(head + 4).map((byte, i) => byte ^ (mask[i & 3] as number));
    expect(unmasked).toEqual(payload);
  });

  test("two frames get different masks", () => {
    const a = encodeFrame(OPCODE.text, text("same"));
    const b = encodeFrame(OPCODE.text, text("same"));
    expect(a.subarray(2, 6)).not.toEqual(b.subarray(2, 6));
  });
});

describe("server frames", () => {
  test("a message split across two chunks anywhere is reassembled once", () => {
    const bytes = serverFrame(OPCODE.text, text("x".repeat(300)));
    for (let cut = 1; cut < bytes.length; cut += 37)
      expect(parse([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([`text ${"x".repeat(300)}`]);
  });

  test("fragments with a ping between them make one message; the ping is handed over at once", () => {
    const seen = parse([
      serverFrame(OPCODE.text, text("hel"), false),
      serverFrame(OPCODE.ping, text("p")),
      serverFrame(OPCODE.continuation, text("lo"), false),
      serverFrame(OPCODE.continuation, text("!"), true),
    ]);
    expect(seen).toEqual([`control ${OPCODE.ping} p`, "text hello!"]);
  });

  test("RSV1 marks a compressed message only when compression was agreed", () => {
    expect(parse([serverFrame(OPCODE.binary, text("z"), true, 0x40)], 100, true)).toEqual(["binary+z z"]);
    expect(parse([serverFrame(OPCODE.binary, text("z"), true, 0x40)], 100, false)[0]).toStartWith("broken 1002");
  });

  test.each([
    ["a masked frame", new Uint8Array([0x81, 0x81, 1, 2, 3, 4, 5]), 1002],
    ["an unknown opcode", serverFrame(3, text("?")), 1002],
    ["a continuation with nothing to continue", serverFrame(OPCODE.continuation, text("?")), 1002],
    ["a fragmented ping", serverFrame(OPCODE.ping, text("?"), false), 1002],
    ["a 64-bit length past maxMessageBytes, before any payload", new Uint8Array([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0]), 1009],
  ])("%s stops the parser with close code %i", (_what, bytes, code) => {
    const seen = parse([bytes, serverFrame(OPCODE.text, text("after"))], 1 << 20);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toStartWith(`broken ${code}`);
  });

  test("fragments that add up past maxMessageBytes are refused at the fragment that crosses it", () => {
    const seen = parse([serverFrame(OPCODE.text, text("12345"), false), serverFrame(OPCODE.continuation, text("678"), true)], 7);
    expect(seen).toEqual(["broken 1009 the server sent a message of more than 7 bytes (maxMessageBytes); it was not read"]);
  });

  test("close codes read as words", () => {
    expect([1000, 1001, 1009, 1005, 4000, 3000].map(closeName)).toEqual([
      "normal",
      "going away",
      "message too big",
      "no status",
      "application",
      "other",
    ]);
  });
});
