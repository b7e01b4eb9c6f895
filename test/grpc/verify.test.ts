// The request check (src/grpc/verify.ts) on every kind of field: what it lets through encodes to
// exactly what it says (protobufjs decodes it back unchanged), and what it stops names the place.
import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import { messageProblem } from "../../src/grpc/verify.ts";

// The well-known types as parseProto adds them (src/grpc/proto.ts): protobufjs's bundled copies.
const root = new protobuf.Root();
root.addJSON((protobuf.common.get("google/protobuf/timestamp.proto") as { nested: protobuf.INamespace["nested"] }).nested ?? {});
protobuf.parse(
  `syntax = "proto3";
  package shop;
  import "google/protobuf/timestamp.proto";
  enum Kind { KIND_UNSET = 0; BOOK = 1; TOY = 2; }
  message Item { string sku = 1; uint32 count = 2; }
  message Order {
    int64 id = 1;
    uint64 total = 2;
    Kind kind = 3;
    repeated Item items = 4;
    map<string, Item> by_sku = 5;
    map<int32, string> notes = 6;
    bytes blob = 7;
    bool paid = 8;
    double price = 9;
    oneof payer { string card = 10; string voucher = 11; }
    google.protobuf.Timestamp at = 12;
  }`,
  root,
  { keepCase: true },
);
root.resolveAll();
const Order = root.lookupType("shop.Order");
const problem = (value: unknown) => {
  const found = messageProblem(Order, value);
  return found === undefined ? undefined : `${found.path}: ${found.text}`;
};

describe("a request that is right", () => {
  test("passes, and encodes to what it says: 64-bit integers as strings or numbers, enums by name, maps, bytes, a oneof", () => {
    const order = {
      id: "-9223372036854775808",
      total: 18446744073709551615n.toString(),
      kind: "TOY",
      items: [{ sku: "a", count: 4294967295 }],
      by_sku: { a: { sku: "a", count: 1 } },
      notes: { "-1": "minus one" },
      blob: new Uint8Array([1, 2]),
      paid: true,
      price: 1.5,
      card: "4111",
      payer: "card", // the virtual field a reply names its oneof member in
      at: { seconds: 5, nanos: 1 },
    };
    expect(problem(order)).toBeUndefined();
    const decoded = Order.toObject(Order.decode(Order.encode(Order.fromObject(order)).finish()), {
      longs: String,
      enums: String,
      bytes: Array,
      oneofs: true,
    });
    expect(decoded).toEqual({ ...order, blob: [1, 2], at: { seconds: "5", nanos: 1 } });
    expect(problem({ id: 12, kind: 2, items: [], price: null, voucher: undefined })).toBeUndefined();
  });
});

describe("a request the .proto cannot encode as given", () => {
  test.each([
    ['id: is "12abc", but an int64 is a whole number from -9223372036854775808 to 9223372036854775807', { id: "12abc" }],
    ["id: is 12n, but an int64 is a whole number", { id: 12n }],
    ['total: is "-1", but a uint64 is a whole number from 0 to 18446744073709551615', { total: "-1" }],
    ['kind: is "CAR", but a shop.Kind is one of KIND_UNSET, BOOK, TOY (or its number)', { kind: "CAR" }],
    ["items: is an object, but a repeated field is an array", { items: { sku: "a" } }],
    ["items[1].count: is -1, but a uint32 is a whole number from 0 to 4294967295", { items: [{ sku: "a" }, { sku: "b", count: -1 }] }],
    ['by_sku["a"].skew: is not a field of shop.Item (its fields: sku, count)', { by_sku: { a: { skew: "a" } } }],
    ["notes.one: is not a key of this map: its keys are int32 (whole numbers)", { notes: { one: "x" } }],
    ['paid: is "yes", but a bool is true or false', { paid: "yes" }],
    ['price: is "1.5", but a double is a number', { price: "1.5" }],
    ["blob: is an array, but bytes are a Uint8Array (or base64 text)", { blob: [1, 2] }],
    [": sets 2 members of oneof payer (card, voucher), which holds one at most", { card: "1", voucher: "2" }],
    ['at: is "2024-01-01", but a google.protobuf.Timestamp is an object of its fields (seconds, nanos)', { at: "2024-01-01" }],
    [": is an array, but a shop.Order is an object of its fields", []],
  ])("is refused: %s", (message, value) => {
    expect(problem(value)).toStartWith(message);
  });
});
