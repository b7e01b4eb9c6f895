// Property-based fuzzing of the master → worker path (msgpack envelope, validation) and of our
// msgpack writer: nothing throws out of decodeMasterMessage, frames whose shape would cost far
// more memory than their size are refused before decoding, and valid messages round-trip.
import { describe, expect, test } from "bun:test";
import { decode, encode } from "@msgpack/msgpack";
import { decodeMasterMessage } from "../../src/protocol/decode.ts";
import type { MasterMessage } from "../../src/protocol/messages.ts";
import { encodeMsgpack } from "../../src/protocol/msgpack.ts";
import { checkShape, MAX_CONTAINERS, MAX_NESTING } from "../../src/protocol/shape.ts";
import { fc, fuzz, FUZZ_TIMEOUT_MS } from "../support/fuzz.ts";

const NODE = "vm_1";
const TYPES = ["ack", "spawn", "spawning_complete", "heartbeat", "stop", "quit", "reconnect", "update_user_class", "custom"];

/** Never throws: a message, or an error string saying what was wrong. */
function decodesSafely(frame: Uint8Array): void {
  const result = decodeMasterMessage(frame);
  if (result.ok) expect(typeof result.message.type).toBe("string");
  else expect(result.error.length).toBeGreaterThan(0);
}

/** A valid master message and the wire data Locust sends for it (as Python's msgpack writes it). */
const count = fc.nat({ max: 1_000_000 });
// @msgpack/msgpack refuses a "__proto__" map key (the frame is dropped with that error): not generated.
const key = (maxLength: number, minLength = 0) => fc.string({ minLength, maxLength }).filter((k) => k !== "__proto__");
const className = key(12, 1);
const host = fc.oneof(fc.constant(null), fc.constant(""), fc.webUrl());
type Valid = { wire: [string, unknown]; message: MasterMessage };
const valid: fc.Arbitrary<Valid> = fc.oneof(
  count.map((index): Valid => ({ wire: ["ack", { index }], message: { type: "ack", index } })),
  fc
    .record({
      timestamp: fc.double({ min: 0, max: 4e9, noNaN: true }),
      classes: fc.dictionary(className, fc.nat({ max: 10_000 }), { maxKeys: 5 }),
      host,
      stopTimeout: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 3600, noNaN: true })),
      options: fc.option(fc.dictionary(key(20), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 8 })),
      extra: fc.boolean(),
    })
    .map(
      ({ timestamp, classes, host, stopTimeout, options, extra }): Valid => ({
        wire: [
          "spawn",
          {
            timestamp,
            user_classes_count: classes,
            host,
            stop_timeout: stopTimeout,
            parsed_options: options,
            ...(extra ? { new_key: 1 } : {}),
          },
        ],
        message: {
          type: "spawn",
          timestamp,
          userClassesCount: classes,
          host: host === "" ? null : host,
          stopTimeout: stopTimeout ?? 0,
          parsedOptions: options ?? {},
        },
      }),
    ),
  count.map((n): Valid => ({ wire: ["spawning_complete", { user_count: n }], message: { type: "spawning_complete", userCount: n } })),
  fc
    .constantFrom("heartbeat", "stop", "quit", "reconnect")
    .map((type): Valid => ({ wire: [type, null], message: { type } as MasterMessage })),
  fc
    .record({
      name: className,
      weight: fc.option(fc.nat({ max: 100 })),
      fixed: fc.option(count),
      tasks: fc.option(fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 })),
    })
    .map(({ name, weight, fixed, tasks }): Valid => {
      const data: Record<string, unknown> = { user_class_name: name };
      const message: MasterMessage = { type: "update_user_class", userClassName: name };
      if (weight !== null) (data.weight = weight), (message.weight = weight);
      if (fixed !== null) (data.fixed_count = fixed), (message.fixedCount = fixed);
      if (tasks !== null) (data.tasks = tasks), (message.tasks = tasks);
      return { wire: ["update_user_class", data], message };
    }),
  fc
    .record({
      name: fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !TYPES.slice(0, -1).includes(n)),
      data: fc.jsonValue({ maxDepth: 3 }).filter((d) => !JSON.stringify(d).includes('"__proto__"')),
    })
    // Through JSON: msgpack writes -0 as the integer 0, as Python does for an int. (A "__proto__"
    // key is refused by @msgpack/msgpack, so such a custom message is dropped with that error.)
    .map(
      ({ name, data }): Valid => ({
        wire: [name, data],
        message: { type: "custom", name, data: JSON.parse(JSON.stringify(data)) } as MasterMessage,
      }),
    ),
);

/** Nesting that the shape check counts: a non-empty array or map is one level over its items. */
function depth(value: unknown): number {
  if (value instanceof Uint8Array || value instanceof Date || value === null || typeof value !== "object") return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.length === 0 ? 0 : 1 + Math.max(...items.map(depth));
}

describe("decodeMasterMessage under fuzzing", () => {
  test(
    "any bytes: a message or an error, never an exception",
    () => {
      fuzz(
        fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => decodesSafely(bytes)),
        20_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "valid messages with bytes flipped, dropped or cut: a message or an error, never an exception",
    () => {
      const mutation = fc.array(fc.tuple(fc.constantFrom("flip", "drop", "cut"), fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      });
      fuzz(
        fc.property(valid, mutation, ({ wire }, edits) => {
          let bytes = [...encode([...wire, NODE])];
          for (const [kind, at, value] of edits) {
            const i = at % Math.max(1, bytes.length);
            if (kind === "flip") bytes[i] = value;
            else if (kind === "drop") bytes.splice(i, 1);
            else bytes = bytes.slice(0, i);
          }
          decodesSafely(Uint8Array.from(bytes));
        }),
        15_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "any msgpack value in the envelope, under a known or unknown type: a message or an error",
    () => {
      fuzz(
        fc.property(
          fc.oneof(fc.constantFrom(...TYPES), fc.anything()),
          fc.anything({ maxDepth: 3, withMap: true, withDate: true, withTypedArray: false }),
          (type, data) => {
            let frame: Uint8Array;
            try {
              frame = encode([type, data, NODE]);
            } catch {
              return; // a value msgpack itself cannot write (a symbol key, a bigint) never reaches the wire
            }
            decodesSafely(frame);
          },
        ),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "valid messages, as Python's msgpack writes them, decode to the typed message",
    () => {
      fuzz(
        fc.property(valid, ({ wire, message }) => {
          expect(decodeMasterMessage(encode([...wire, NODE]))).toEqual({ ok: true, message });
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("the shape check before decoding", () => {
  test(
    "refuses exactly the values nested deeper than the limit, whatever they hold",
    () => {
      // No Maps: @msgpack/msgpack writes them as {} (see src/protocol/msgpack.ts).
      const value = fc.anything({ maxDepth: 4, withDate: true, withTypedArray: false, maxKeys: 4 });
      fuzz(
        fc.property(value, fc.integer({ min: 0, max: MAX_NESTING + 4 }), fc.boolean(), (inner, wraps, asMap) => {
          let wrapped: unknown = inner;
          for (let i = 0; i < wraps; i++) wrapped = asMap ? { k: wrapped } : [wrapped];
          let bytes: Uint8Array;
          try {
            bytes = encode(wrapped, { ignoreUndefined: false });
          } catch {
            return;
          }
          const refused = checkShape(bytes);
          if (depth(wrapped) > MAX_NESTING) expect(refused).toContain(`nested deeper than ${MAX_NESTING}`);
          else expect(refused).toBeUndefined();
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "strings, bins and exts of every size class are skipped whole (no false refusals)",
    () => {
      const blob = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom(300, 70_000).chain((n) => fc.constant("x".repeat(n))),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom(300, 70_000).map((n) => new Uint8Array(n).fill(0x91)),
        fc.date({ noInvalidDate: true }),
      );
      fuzz(
        fc.property(fc.array(blob, { maxLength: 4 }), (items) => {
          let nested: unknown = items;
          for (let i = 0; i < MAX_NESTING - 1; i++) nested = [nested];
          expect(checkShape(encode(nested))).toBeUndefined();
          expect(checkShape(encode([nested]))).toBe(items.length > 0 ? `message is nested deeper than ${MAX_NESTING} levels` : undefined);
        }),
        2_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test("a frame full of nested or empty arrays is refused at once instead of taking gigabytes", () => {
    const nested = new Uint8Array(16 * 1024 * 1024).fill(0x91); // [[[[...]]]]: 19 s and 2.3 GB before
    expect(decodeMasterMessage(nested)).toEqual({
      ok: false,
      error: `refused before decoding: message is nested deeper than ${MAX_NESTING} levels`,
    });
    const empties = new Uint8Array(11 + MAX_CONTAINERS + 5 + 1).fill(0x90); // [[], [], ...]: 1.3 GB at 16 MiB before
    empties.set([0x93, 0xa4, 0x63, 0x75, 0x73, 0x74, 0xdd, 0, 1, 0, 5]); // ["cust", <array of 65541 []>, nil]
    empties[empties.length - 1] = 0xc0;
    expect(decodeMasterMessage(empties)).toEqual({
      ok: false,
      error: `refused before decoding: message holds more than ${MAX_CONTAINERS} arrays and maps; send large data in fewer, flatter messages`,
    });
  });

  test("an array announcing more items than the frame has bytes is refused before the decoder allocates it", () => {
    // Found by fuzzing: "dd 03 ac d0 9d" made the decoder allocate 61 million slots (487 MB).
    expect(decodeMasterMessage(Uint8Array.of(0xdd, 0x03, 0xac, 0xd0, 0x9d, 0x01))).toEqual({
      ok: false,
      error: "refused before decoding: message is cut short: it announces 61657245 items with 1 bytes left",
    });
    // Nested announcements add up: each parent's current item is the child.
    expect(checkShape(Uint8Array.of(0x92, 0x92, 0xc0, 0xc0, 0xc0))).toBeUndefined();
    expect(checkShape(Uint8Array.of(0x92, 0x92, 0xc0, 0xc0))).toBe("message is cut short: it announces 2 items with 2 bytes left");
  });
});

describe("encodeMsgpack under fuzzing", () => {
  // What a worker sends: JSON-like values and Maps with integer keys (the stats maps).
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth: 4 },
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
      fc.maxSafeInteger(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.array(tie("value"), { maxLength: 5 }),
      fc.dictionary(
        fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"),
        tie("value"),
        { maxKeys: 5 },
      ),
      fc.array(fc.tuple(fc.integer(), fc.nat()), { maxLength: 5 }).map((entries) => new Map(entries)),
    ),
  }));

  const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

  /** What the decoder gives back: Maps become objects with string keys, -0 is 0, strings well-formed. */
  function expected(v: unknown): unknown {
    if (typeof v === "number") return v === 0 ? 0 : v;
    if (typeof v === "string") return wellFormed(v);
    if (Array.isArray(v)) return v.map(expected);
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), expected(x)]));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), expected(x)]));
    return v;
  }

  test(
    "round-trips through a standard msgpack decoder",
    () => {
      fuzz(
        fc.property(value, (v) => {
          expect(decode(encodeMsgpack(v), { useBigInt64: false })).toEqual(expected(v));
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
