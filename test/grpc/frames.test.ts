// gRPC's length-prefixed messages, however the DATA chunks split or join them.
import { describe, expect, test } from "bun:test";
import { timeoutHeader } from "../../src/grpc/call.ts";
import { FrameParser, frame } from "../../src/grpc/frames.ts";

const bytes = (...values: number[]) => Buffer.from(values);

describe("frame", () => {
  test("puts flag 0 and the big-endian length before the message", () => {
    expect([...frame(bytes(1, 2, 3))]).toEqual([0, 0, 0, 0, 3, 1, 2, 3]);
    expect([...frame(bytes())]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("FrameParser", () => {
  const collect = (parser: FrameParser, ...chunks: Buffer[]) => {
    const out: number[][] = [];
    for (const chunk of chunks) expect(parser.push(chunk, (m) => out.push([...m]))).toBeUndefined();
    return out;
  };

  test("hands over each message of a chunk that holds several, an empty one included", () => {
    const chunk = Buffer.concat([frame(bytes(7)), frame(bytes()), frame(bytes(8, 9))]);
    expect(collect(new FrameParser(100), chunk)).toEqual([[7], [], [8, 9]]);
  });

  test("reassembles a message split anywhere, even inside its prefix, and keeps nothing after it", () => {
    const whole = Buffer.concat([frame(bytes(1, 2, 3, 4)), frame(bytes(5))]);
    for (let cut = 1; cut < whole.length; cut++) {
      const parser = new FrameParser(100);
      expect(collect(parser, whole.subarray(0, cut), whole.subarray(cut))).toEqual([[1, 2, 3, 4], [5]]);
      expect(parser.partial).toBe(0);
    }
  });

  test("counts the bytes of a message begun and not finished", () => {
    const parser = new FrameParser(100);
    expect(collect(parser, frame(bytes(1, 2, 3)).subarray(0, 6))).toEqual([]);
    expect(parser.partial).toBe(6);
  });

  test("refuses a compressed message (none was asked for) and one over the size limit", () => {
    expect(new FrameParser(100).push(bytes(1, 0, 0, 0, 1, 9), () => {})?.code).toBe("compressed");
    expect(new FrameParser(3).push(frame(bytes(1, 2, 3, 4)), () => {})).toEqual({
      code: "too_big",
      message: "a message of 4 bytes is over the limit of 3",
    });
  });
});

describe("grpc-timeout", () => {
  test("is whole milliseconds, rounded up, and seconds once milliseconds need more than 8 digits", () => {
    expect(timeoutHeader(100)).toBe("100m");
    expect(timeoutHeader(0.4)).toBe("1m");
    expect(timeoutHeader(99_999_999)).toBe("99999999m");
    expect(timeoutHeader(100_000_000)).toBe("100000S");
    expect(timeoutHeader(1e15)).toBe("99999999S");
  });
});
