// Property-based fuzzing of the ZMTP frame decoder and the session around it: any bytes either
// decode or end in a ZmtpError (the dealer then drops the connection and starts a fresh session),
// sizes over the cap are refused from the header alone, and any chunking decodes the same.
import { describe, expect, test } from "bun:test";
import { type Decoded, FrameDecoder } from "../../src/transport/decoder.ts";
import { ZmtpSession } from "../../src/transport/session.ts";
import {
  encodeCommand,
  encodeFrame,
  encodeGreeting,
  encodeReady,
  FLAG_COMMAND,
  FLAG_LONG,
  FLAG_MORE,
  ZmtpError,
} from "../../src/transport/zmtp.ts";
import { concat, cuts, fc, fuzz, FUZZ_TIMEOUT_MS, splitAt } from "../support/fuzz.ts";

const CAP = 4096;
const text = new TextEncoder();

/** Feeds every piece; returns what was decoded and the error item that ended it, if any. */
function decodeAll(decoder: FrameDecoder, pieces: Uint8Array[]): { items: Decoded[]; error?: ZmtpError } {
  const items: Decoded[] = [];
  for (const piece of pieces) {
    for (const item of decoder.push(piece)) {
      if (item.kind === "error") return { items, error: item.error };
      items.push(item);
    }
  }
  return { items };
}

/** A valid item: a multipart message (short and long frames) or a command. */
const item = fc.oneof(
  fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 4 }).map((frames): Decoded => ({ kind: "message", frames })),
  fc
    .record({ name: fc.stringMatching(/^[A-Z]{1,12}$/), data: fc.uint8Array({ maxLength: 300 }) })
    .map(({ name, data }): Decoded => ({ kind: "command", body: concat([Uint8Array.of(name.length), text.encode(name), data]) })),
);

function encodeItem(decoded: Decoded): Uint8Array {
  if (decoded.kind === "error") throw new Error("errors are not encoded");
  if (decoded.kind === "command") return encodeFrame(decoded.body, FLAG_COMMAND);
  return concat(decoded.frames.map((f, i) => encodeFrame(f, i < decoded.frames.length - 1 ? FLAG_MORE : 0)));
}

/** Garbage that looks like frames often enough to reach past the first header byte. */
const garbage = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 400 }),
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 0xff }), fc.uint8Array({ maxLength: 40 })), { minLength: 1, maxLength: 8 })
    .map((parts) => concat(parts.map(([flags, body]) => concat([Uint8Array.of(flags, body.length), body])))),
);

describe("FrameDecoder under fuzzing", () => {
  test(
    "any bytes, in any chunks: decoded items or a ZmtpError item, never an exception; nothing after an error",
    () => {
      fuzz(
        fc.property(garbage, cuts, (bytes, at) => {
          const decoder = new FrameDecoder(CAP);
          const { error } = decodeAll(decoder, splitAt(bytes, at));
          if (error !== undefined) {
            expect(error).toBeInstanceOf(ZmtpError);
            expect(decoder.push(encodeFrame(Uint8Array.of(1)))).toEqual([{ kind: "error", error }]);
          }
        }),
        30_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "valid messages and commands round-trip, whatever the chunking",
    () => {
      fuzz(
        fc.property(fc.array(item, { maxLength: 6 }), cuts, (items, at) => {
          const stream = concat(items.map(encodeItem));
          const { items: got, error } = decodeAll(new FrameDecoder(1 << 20), splitAt(stream, at));
          expect(error).toBeUndefined();
          expect(got).toEqual(items);
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "valid messages before garbage are all delivered; a fresh decoder then decodes valid frames",
    () => {
      fuzz(
        fc.property(
          fc.array(item, { maxLength: 4 }),
          garbage,
          fc.array(item, { minLength: 1, maxLength: 3 }),
          cuts,
          (before, junk, after, at) => {
            const prefix = concat(before.map(encodeItem));
            const first = decodeAll(new FrameDecoder(CAP * 4), splitAt(concat([prefix, junk]), at));
            expect(first.items.slice(0, before.length)).toEqual(before);
            // The design: an error closes the connection; the reconnect gets a new session and decoder.
            const second = decodeAll(new FrameDecoder(CAP * 4), splitAt(concat(after.map(encodeItem)), at));
            expect(second).toEqual({ items: after });
          },
        ),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a header announcing more than the cap (up to 2^64 - 1 bytes) is refused before any body byte",
    () => {
      fuzz(
        fc.property(fc.bigInt({ min: BigInt(CAP + 1), max: 2n ** 64n - 1n }), fc.boolean(), cuts, (size, more, at) => {
          const header = new Uint8Array(9);
          header[0] = FLAG_LONG | (more ? FLAG_MORE : 0);
          new DataView(header.buffer).setBigUint64(1, size);
          const { items, error } = decodeAll(new FrameDecoder(CAP), splitAt(header, at));
          expect(items).toEqual([]);
          expect(error).toBeInstanceOf(ZmtpError);
          expect(error?.code).toBe("frame-too-large");
        }),
        5_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a multipart message over the cap in total is refused at the header of the frame that crosses it",
    () => {
      fuzz(
        fc.property(fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 2, maxLength: 12 }), cuts, (sizes, at) => {
          const frames = sizes.map((n, i) => encodeFrame(new Uint8Array(n), i < sizes.length - 1 ? FLAG_MORE : 0));
          const { items, error } = decodeAll(new FrameDecoder(CAP), splitAt(concat(frames), at));
          const total = sizes.reduce((a, b) => a + b, 0);
          if (total <= CAP) expect(items.length).toBe(1);
          else {
            expect(items).toEqual([]);
            expect(error?.code).toBe("frame-too-large");
          }
        }),
        5_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

const ROUTER_HANDSHAKE = concat([encodeGreeting(), encodeReady([["Socket-Type", text.encode("ROUTER")]])]);

function feedAll(session: ZmtpSession, pieces: Uint8Array[]) {
  const events = [];
  for (const piece of pieces) {
    for (const event of session.feed(piece)) {
      if (event.type === "error") return { events, error: event.error };
      events.push(event);
    }
  }
  return { events };
}

describe("ZmtpSession under fuzzing", () => {
  test(
    "any bytes before or after a valid handshake: events or a ZmtpError, never another exception",
    () => {
      fuzz(
        fc.property(fc.boolean(), garbage, cuts, (handshake, junk, at) => {
          const session = new ZmtpSession({ identity: "w", maxFrameBytes: CAP });
          const { error } = feedAll(session, splitAt(handshake ? concat([ROUTER_HANDSHAKE, junk]) : junk, at));
          if (error !== undefined) expect(error).toBeInstanceOf(ZmtpError);
        }),
        15_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a handshake then messages (with PINGs between them) arrive the same however TCP splits them",
    () => {
      fuzz(
        fc.property(
          fc.array(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 3 }), { maxLength: 5 }),
          cuts,
          (messages, at) => {
            const stream = concat([
              ROUTER_HANDSHAKE,
              ...messages.map((frames) => concat([encodeCommand("PING", Uint8Array.of(0, 1, 7)), encodeItem({ kind: "message", frames })])),
            ]);
            const { events, error } = feedAll(new ZmtpSession({ identity: "w", maxFrameBytes: CAP }), splitAt(stream, at));
            expect(error).toBeUndefined();
            expect(events.filter((e) => e.type === "message")).toEqual(messages.map((frames) => ({ type: "message", frames })));
            expect(events.filter((e) => e.type === "ready").length).toBe(1);
            expect(events.filter((e) => e.type === "write").length).toBe(1 + messages.length); // READY + one PONG per PING
          },
        ),
        5_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
