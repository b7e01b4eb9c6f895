import { describe, expect, test } from "bun:test";
import { decode } from "@msgpack/msgpack";
import { encodeMsgpack } from "../../src/protocol/msgpack.ts";
import { toHex } from "./locust_python.ts";

const hex = (value: unknown) => toHex(encodeMsgpack(value));

// Expected bytes were checked against Python: msgpack.packb(value).hex() (msgpack 1.x in .venv).
describe("encodeMsgpack writes the bytes Python's msgpack would", () => {
  test.each([
    ["null", null, "c0"],
    ["undefined (becomes nil, never an ext)", undefined, "c0"],
    ["false", false, "c2"],
    ["true", true, "c3"],
  ] as const)("%s", (_, value, bytes) => {
    expect(hex(value)).toBe(bytes);
  });

  test.each([
    [0, "00"],
    [127, "7f"],
    [128, "cc80"],
    [255, "ccff"],
    [256, "cd0100"],
    [65535, "cdffff"],
    [65536, "ce00010000"],
    [4294967295, "ceffffffff"],
    [4294967296, "cf0000000100000000"],
    [-1, "ff"],
    [-32, "e0"],
    [-33, "d0df"],
    [-128, "d080"],
    [-129, "d1ff7f"],
    [-32768, "d18000"],
    [-32769, "d2ffff7fff"],
    [-2147483648, "d280000000"],
    [-2147483649, "d3ffffffff7fffffff"],
    [1795592059, "ce6b068f7b"],
  ])("integer %p as the smallest int format: %s", (value, bytes) => {
    expect(hex(value)).toBe(bytes);
  });

  test("non-integers as float64, like Python floats", () => {
    expect(hex(1.5)).toBe("cb3ff8000000000000");
    expect(hex(1795592059.3529203)).toBe("cb41dac1a3ded6963f");
  });

  test("NaN and Infinity as 0: they would poison the master's sums", () => {
    expect(hex(Number.NaN)).toBe("00");
    expect(hex(Number.POSITIVE_INFINITY)).toBe("00");
    expect(hex(Number.NEGATIVE_INFINITY)).toBe("00");
  });

  test("strings as UTF-8 str with fixstr, str8, str16 headers", () => {
    expect(hex("")).toBe("a0");
    expect(hex("ack")).toBe("a361636b");
    expect(hex("é")).toBe("a2c3a9");
    expect(hex("x".repeat(31))).toBe(`bf${"78".repeat(31)}`);
    expect(hex("x".repeat(32))).toBe(`d920${"78".repeat(32)}`);
    expect(hex("x".repeat(256))).toBe(`da0100${"78".repeat(256)}`);
    expect(hex("x".repeat(65536)).slice(0, 10)).toBe("db00010000");
  });

  test("a lone surrogate as U+FFFD, never invalid UTF-8", () => {
    expect(hex("\ud800")).toBe("a3efbfbd");
  });

  test("arrays with fixarray and array16 headers", () => {
    expect(hex([])).toBe("90");
    expect(hex([1, "a", null])).toBe("9301a161c0");
    expect(hex(new Array(16).fill(0))).toBe(`dc0010${"00".repeat(16)}`);
    expect(hex(new Array(2))).toBe("92c0c0"); // holes still count, as nil
  });

  test("plain objects as str-keyed maps, undefined values as nil", () => {
    expect(hex({})).toBe("80");
    expect(hex({ a: 1, b: undefined })).toBe("82a16101a162c0");
    const sixteen = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i.toString(16)}`, i]));
    expect(hex(sixteen).slice(0, 6)).toBe("de0010");
    expect(hex(Object.create(null))).toBe("80");
  });

  test("a Map with number keys as a map with msgpack INTEGER keys (what Locust's stats need)", () => {
    expect(
      hex(
        new Map([
          [150, 6],
          [3400, 2],
          [6, 1],
        ]),
      ),
    ).toBe("83cc9606cd0d48020601");
    expect(hex(new Map([[1795592059, 3]]))).toBe("81ce6b068f7b03");
    expect(hex(new Map())).toBe("80");
  });

  test("a Map with string keys as a str-keyed map", () => {
    expect(hex(new Map([["Alpha", 2]]))).toBe("81a5416c70686102");
  });

  test("round-trips through @msgpack/msgpack", () => {
    const value = { s: "héllo", n: [0, -1, 300, 70000, 2.25], nested: { t: true, f: false, z: null } };
    expect(decode(encodeMsgpack(value))).toEqual(value);
  });
});

describe("encodeMsgpack refuses what would become ext or bin types", () => {
  test.each([
    ["a Date (timestamp ext -1)", new Date(0)],
    ["a Uint8Array (bin)", new Uint8Array(2)],
    ["a bigint", 1n],
    ["a function", () => 1],
    [
      "a class instance",
      new (class Point {
        x = 1;
      })(),
    ],
    ["a Map with an object key", new Map([[{}, 1]])],
    ["a nested Date", { at: [new Date(0)] }],
  ])("%s throws a TypeError", (_, value) => {
    expect(() => encodeMsgpack(value)).toThrow(TypeError);
  });

  test("the error names where the bad value sits", () => {
    expect(() => encodeMsgpack({ at: [1, new Date(0)] })).toThrow("$.at[1]");
  });
});
