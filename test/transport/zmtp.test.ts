// Byte-level tests of the ZMTP 3.1 codec (rfc.zeromq.org spec 37).
import { describe, expect, test } from "bun:test";
import {
  checkGreeting,
  checkPeerSocketType,
  decodeCommand,
  decodeErrorReason,
  decodeReadyProperties,
  encodeCommand,
  encodeError,
  encodeFrame,
  encodeGreeting,
  encodePing,
  encodeReady,
  pongFor,
  ZmtpError,
} from "../../src/transport/zmtp.ts";

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const bytes = (...parts: Array<number | number[]>) => Uint8Array.from(parts.flat());
const text = (s: string) => new TextEncoder().encode(s);

function greeting(major: number, minor: number, mechanism = "NULL"): Uint8Array {
  const g = new Uint8Array(64);
  g.set([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, major, minor]); // libzmq puts 1 in the padding
  g.set(text(mechanism), 12);
  return g;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ZmtpError) return error.code;
    throw error;
  }
  return undefined;
}

describe("the greeting", () => {
  test("is 64 bytes: signature, version 3.1, NULL padded to 20 bytes, as-server 0, zero filler", () => {
    const g = encodeGreeting();
    expect(g.length).toBe(64);
    expect([...g.subarray(0, 12)]).toEqual([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 1]);
    expect([...g.subarray(12, 32)]).toEqual([...ascii("NULL"), ...new Array(16).fill(0)]);
    expect(g[32]).toBe(0);
    expect([...g.subarray(33)]).toEqual(new Array(31).fill(0));
  });

  test("from a ZMTP 3.1 or 3.0 peer is accepted", () => {
    expect(checkGreeting(greeting(3, 1))).toEqual({ major: 3, minor: 1, mechanism: "NULL", asServer: false });
    expect(checkGreeting(greeting(3, 0))).toMatchObject({ major: 3, minor: 0 });
  });

  test("is not complete until all 64 bytes are in", () => {
    expect(checkGreeting(greeting(3, 1).subarray(0, 63))).toBeUndefined();
    expect(checkGreeting(new Uint8Array(0))).toBeUndefined();
  });

  test("that starts with anything but 0xFF is junk, rejected on the first byte", () => {
    expect(codeOf(() => checkGreeting(text("H")))).toBe("not-zmtp");
    expect(codeOf(() => checkGreeting(text("HTTP/1.1 400 Bad Request\r\n")))).toBe("not-zmtp");
  });

  test("without the 0x7F signature end is junk (a ZMTP 1.0 peer)", () => {
    expect(codeOf(() => checkGreeting(bytes(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x00)))).toBe("not-zmtp");
  });

  test("from a ZMTP 2.0 peer (libzmq 3.x) is rejected as soon as the version byte arrives", () => {
    expect(codeOf(() => checkGreeting(bytes(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1)))).toBe("unsupported-version");
  });

  test("with a CURVE or PLAIN mechanism is rejected with a clear error", () => {
    expect(codeOf(() => checkGreeting(greeting(3, 1, "CURVE")))).toBe("unsupported-mechanism");
    expect(() => checkGreeting(greeting(3, 1, "PLAIN"))).toThrow(/"PLAIN" security mechanism; only NULL/);
  });
});

describe("frames", () => {
  test("up to 255 bytes are short: flags byte, 1-byte size, body", () => {
    expect([...encodeFrame(text("hi"))]).toEqual([0x00, 2, ...ascii("hi")]);
    expect([...encodeFrame(new Uint8Array(0))]).toEqual([0x00, 0]);
    expect(encodeFrame(new Uint8Array(255)).subarray(0, 2)).toEqual(bytes(0x00, 255));
  });

  test("above 255 bytes are long: LONG flag and an 8-byte big-endian size", () => {
    expect([...encodeFrame(new Uint8Array(256)).subarray(0, 9)]).toEqual([0x02, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect([...encodeFrame(new Uint8Array(70 * 1024)).subarray(0, 9)]).toEqual([0x02, 0, 0, 0, 0, 0, 1, 0x18, 0]);
  });

  test("carry the MORE and COMMAND flags they are given", () => {
    expect(encodeFrame(text("a"), 0x01)[0]).toBe(0x01);
    expect(encodeFrame(new Uint8Array(300), 0x01)[0]).toBe(0x03);
    expect(encodeCommand("PING")[0]).toBe(0x04);
  });
});

describe("commands", () => {
  test("READY carries Socket-Type and Identity as metadata properties", () => {
    const ready = encodeReady([
      ["Socket-Type", text("DEALER")],
      ["Identity", text("vm_1")],
    ]);
    expect([...ready]).toEqual([
      0x04,
      1 + 5 + 1 + 11 + 4 + 6 + 1 + 8 + 4 + 4,
      5,
      ...ascii("READY"),
      11,
      ...ascii("Socket-Type"),
      0,
      0,
      0,
      6,
      ...ascii("DEALER"),
      8,
      ...ascii("Identity"),
      0,
      0,
      0,
      4,
      ...ascii("vm_1"),
    ]);
  });

  test("READY properties decode with case-insensitive names", () => {
    const { name, data } = decodeCommand(
      encodeReady([
        ["SOCKET-TYPE", text("ROUTER")],
        ["Identity", new Uint8Array(0)],
      ]).subarray(2),
    );
    expect(name).toBe("READY");
    const props = decodeReadyProperties(data);
    expect(new TextDecoder().decode(props.get("socket-type"))).toBe("ROUTER");
    expect(props.get("identity")?.length).toBe(0);
  });

  test("READY metadata whose value runs past the end is malformed", () => {
    expect(codeOf(() => decodeReadyProperties(bytes(1, ...ascii("x"), 0, 0, 0, 9, 1)))).toBe("bad-command");
  });

  test("a DEALER may talk to a ROUTER or a DEALER, nothing else", () => {
    const props = (type: string) => new Map([["socket-type", text(type)]]);
    expect(checkPeerSocketType(props("ROUTER"))).toBe("ROUTER");
    expect(checkPeerSocketType(props("DEALER"))).toBe("DEALER");
    expect(() => checkPeerSocketType(props("PUB"))).toThrow(/peer is a PUB socket, but a DEALER can only talk to a ROUTER or a DEALER/);
    expect(codeOf(() => checkPeerSocketType(new Map()))).toBe("bad-command");
  });

  test("ERROR carries a 1-byte reason size and the reason", () => {
    const frame = encodeError("no");
    expect([...frame]).toEqual([0x04, 9, 5, ...ascii("ERROR"), 2, ...ascii("no")]);
    expect(decodeErrorReason(decodeCommand(frame.subarray(2)).data)).toBe("no");
  });

  test("PING is answered by a PONG carrying the ping's context", () => {
    const ping = encodePing(100, text("ctx"));
    expect([...ping]).toEqual([0x04, 10, 4, ...ascii("PING"), 0, 100, ...ascii("ctx")]);
    const pong = pongFor(decodeCommand(ping.subarray(2)).data);
    expect([...pong]).toEqual([0x04, 8, 4, ...ascii("PONG"), ...ascii("ctx")]);
  });

  test("a PING shorter than its TTL, or a command without a name, is malformed", () => {
    expect(codeOf(() => pongFor(bytes(0)))).toBe("bad-command");
    expect(codeOf(() => decodeCommand(bytes(0)))).toBe("bad-command");
    expect(codeOf(() => decodeCommand(bytes(9, ...ascii("abc"))))).toBe("bad-command");
  });
});
