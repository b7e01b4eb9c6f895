import { describe, expect, test } from "bun:test";
import { decodeMasterMessage } from "../../src/protocol/decode.ts";
import { encodeMsgpack } from "../../src/protocol/msgpack.ts";
import { fromHex } from "./locust_python.ts";

const NODE = "vm_204200e6e1514eb2acd6d3a76ab17f62";
const frame = (type: unknown, data: unknown, node: unknown = NODE) => encodeMsgpack([type, data, node]);
const SPAWN = {
  timestamp: 1795592059.35,
  user_classes_count: { Alpha: 2, Beta: 0 },
  host: "http://example.test",
  stop_timeout: 5,
  parsed_options: { num_users: 4, tags: ["a"] },
};

function decoded(bytes: Uint8Array) {
  const result = decodeMasterMessage(bytes);
  if (!result.ok) throw new Error(`expected a message, got: ${result.error}`);
  return result.message;
}

describe("decodeMasterMessage reads", () => {
  test("the ack bytes a real master sends (docs/PROTOCOL.md, Envelope)", () => {
    const hex = `93a3${Buffer.from("ack").toString("hex")}81a5${Buffer.from("index").toString("hex")}00d923${Buffer.from(NODE).toString("hex")}`;
    expect(decoded(fromHex(hex))).toEqual({ type: "ack", index: 0 });
  });

  test("a spawn, in camelCase", () => {
    expect(decoded(frame("spawn", SPAWN))).toEqual({
      type: "spawn",
      timestamp: 1795592059.35,
      userClassesCount: { Alpha: 2, Beta: 0 },
      host: "http://example.test",
      stopTimeout: 5,
      parsedOptions: { num_users: 4, tags: ["a"] },
    });
  });

  test.each([
    ["host nil", { host: null }, { host: null }],
    ["host empty (the web form left blank)", { host: "" }, { host: null }],
    ["stop_timeout nil (2.12.x default)", { stop_timeout: null }, { stopTimeout: 0 }],
    ["stop_timeout a float", { stop_timeout: 2.5 }, { stopTimeout: 2.5 }],
    ["parsed_options empty", { parsed_options: {} }, { parsedOptions: {} }],
    ["parsed_options missing", { parsed_options: undefined }, { parsedOptions: {} }],
    ["extra keys", { something_new: [1, 2] }, { host: "http://example.test" }],
    ["a class named like an Object member", { user_classes_count: { constructor: 1 } }, { userClassesCount: { constructor: 1 } }],
  ])("a spawn with %s", (_, change, expected) => {
    const data: Record<string, unknown> = { ...SPAWN, ...change };
    for (const key of Object.keys(change)) if (change[key as keyof typeof change] === undefined) delete data[key];
    expect(decoded(frame("spawn", data))).toMatchObject(expected);
  });

  test("spawning_complete", () => {
    expect(decoded(frame("spawning_complete", { user_count: 4 }))).toEqual({ type: "spawning_complete", userCount: 4 });
  });

  test.each(["heartbeat", "stop", "quit", "reconnect"] as const)("%s, whatever its data", (type) => {
    expect(decoded(frame(type, null))).toEqual({ type });
    expect(decoded(frame(type, { unexpected: 1 }))).toEqual({ type });
  });

  test("update_user_class with the fields the web UI sends", () => {
    const data = { user_class_name: "Beta", host: "http://beta.invalid", weight: 5, fixed_count: 0, tasks: ["t"] };
    expect(decoded(frame("update_user_class", data))).toEqual({
      type: "update_user_class",
      userClassName: "Beta",
      host: "http://beta.invalid",
      weight: 5,
      fixedCount: 0,
      tasks: ["t"],
    });
  });

  test("update_user_class with only a name", () => {
    expect(decoded(frame("update_user_class", { user_class_name: "Beta" }))).toEqual({
      type: "update_user_class",
      userClassName: "Beta",
    });
  });

  test("any other type as a custom message, data untouched", () => {
    expect(decoded(frame("my_event", { a: [1, "x"] }))).toEqual({ type: "custom", name: "my_event", data: { a: [1, "x"] } });
  });

  test("a node id of any type: masters address us, we do not check", () => {
    expect(decoded(frame("quit", null, null))).toEqual({ type: "quit" });
  });
});

describe("decodeMasterMessage rejects, saying what was wrong", () => {
  const spawnWith = (change: Record<string, unknown>) => frame("spawn", { ...SPAWN, ...change });
  const spawnWithout = (key: string) => {
    const data: Record<string, unknown> = { ...SPAWN };
    delete data[key];
    return frame("spawn", data);
  };
  test.each([
    ["an empty frame", new Uint8Array(0), "could not decode msgpack"],
    ["a never-used byte", fromHex("c1"), "could not decode msgpack"],
    ["a truncated message", fromHex("93a361"), "refused before decoding: message is cut short: it announces 3 items with 2 bytes left"],
    ["a truncated string", fromHex("93a461c0c0"), "could not decode msgpack"],
    ["trailing bytes", fromHex("93a171c0c000"), "could not decode msgpack"],
    [
      "a __proto__ key (refused by the decoder, no prototype pollution)",
      frame("custom", new Map([["__proto__", { polluted: true }]])),
      "The key __proto__ is not allowed",
    ],
    [
      "a map envelope",
      encodeMsgpack({ type: "quit", data: null, node_id: NODE }),
      "envelope must be a msgpack array of 3 [type, data, node_id], got map",
    ],
    ["a 2-element array", encodeMsgpack(["quit", null]), "got array of 2"],
    ["a 4-element array", encodeMsgpack(["quit", null, NODE, 1]), "got array of 4"],
    ["a bare string", encodeMsgpack("quit"), 'got string "quit"'],
    ["a numeric type", frame(5, null), "message type must be a string, got 5"],
    ["a bin type", fromHex(`93c40171c0a0`), "message type must be a string, got bin of 1 bytes"],
    ["ack without data", frame("ack", null), "ack: data must be a map, got nil"],
    ["ack with a negative index", frame("ack", { index: -1 }), "ack: data.index must be a non-negative integer, got -1"],
    ["spawn without data", frame("spawn", null), "spawn: data must be a map, got nil"],
    ["spawn as an array", frame("spawn", [1]), "spawn: data must be a map, got array of 1"],
    ["spawn without timestamp", spawnWithout("timestamp"), "spawn: data.timestamp must be a number, got nil"],
    ["spawn with a string timestamp", spawnWith({ timestamp: "now" }), 'spawn: data.timestamp must be a number, got string "now"'],
    ["spawn without user_classes_count", spawnWithout("user_classes_count"), "spawn: data.user_classes_count must be a map, got nil"],
    [
      "spawn with user_classes_count as an array",
      spawnWith({ user_classes_count: ["Alpha"] }),
      "data.user_classes_count must be a map, got array of 1",
    ],
    [
      "spawn with a negative count",
      spawnWith({ user_classes_count: { Alpha: -1 } }),
      'data.user_classes_count["Alpha"] must be a non-negative integer, got -1',
    ],
    [
      "spawn with a fractional count",
      spawnWith({ user_classes_count: { Alpha: 1.5 } }),
      'data.user_classes_count["Alpha"] must be a non-negative integer, got 1.5',
    ],
    [
      "spawn with a string count",
      spawnWith({ user_classes_count: { Alpha: "2" } }),
      'data.user_classes_count["Alpha"] must be a non-negative integer, got string "2"',
    ],
    ["spawn with a numeric host", spawnWith({ host: 5 }), "spawn: data.host (or nil) must be a string, got 5"],
    ["spawn with a string stop_timeout", spawnWith({ stop_timeout: "5" }), 'spawn: data.stop_timeout must be a number, got string "5"'],
    [
      "spawn with a negative stop_timeout",
      spawnWith({ stop_timeout: -1 }),
      "spawn: data.stop_timeout must be a non-negative number, got -1",
    ],
    [
      "spawn with parsed_options as a list",
      spawnWith({ parsed_options: [] }),
      "spawn: data.parsed_options must be a map (or nil), got array of 0",
    ],
    [
      "spawning_complete with a fractional user_count",
      frame("spawning_complete", { user_count: 1.5 }),
      "spawning_complete: data.user_count must be a non-negative integer, got 1.5",
    ],
    [
      "update_user_class without a name",
      frame("update_user_class", { weight: 1 }),
      "update_user_class: data.user_class_name must be a string, got nil",
    ],
    [
      "update_user_class with a string weight",
      frame("update_user_class", { user_class_name: "B", weight: "5" }),
      'data.weight must be a number, got string "5"',
    ],
    [
      "update_user_class with a negative fixed_count",
      frame("update_user_class", { user_class_name: "B", fixed_count: -1 }),
      "data.fixed_count must be a non-negative integer, got -1",
    ],
    [
      "update_user_class with non-string tasks",
      frame("update_user_class", { user_class_name: "B", tasks: ["t", 1] }),
      "data.tasks[1] must be a string, got 1",
    ],
  ])("%s", (_, bytes, error) => {
    const result = decodeMasterMessage(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });

  test("never throws, whatever the bytes", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const valid = frame("spawn", SPAWN);
    for (let i = 0; i < 5000; i++) {
      // Half random garbage, half a valid spawn with a few bytes flipped.
      const bytes = i % 2 === 0 ? new Uint8Array(next() % 64).map(() => next() % 256) : valid.slice();
      if (i % 2 === 1) for (let k = 0; k < 3; k++) bytes[next() % bytes.length] = next() % 256;
      const result = decodeMasterMessage(bytes);
      expect(typeof result.ok).toBe("boolean");
    }
  });
});
