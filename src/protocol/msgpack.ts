// A small msgpack writer for what the worker sends. @msgpack/msgpack (kept for decoding) writes
// every map key as a string and a JS Map as {}, but Locust's stats maps need integer keys or the
// master's stats printer crashes (docs/PROTOCOL.md, Integer-keyed maps). Its Encoder cannot be
// extended through public API (the methods are private), so we write the few types we need here:
// the output never contains ext or bin types, which Python would turn into objects the master
// chokes on (docs/PROTOCOL.md, Envelope).

const textEncoder = new TextEncoder();
// Deeper than any message we build; guards against accidental cycles.
const MAX_DEPTH = 32;
const INT64_MIN = -(2 ** 63);
const UINT64_LIMIT = 2 ** 64;

/**
 * Encodes a value as msgpack the way Python's `msgpack.dumps` would encode the equivalent value:
 * `null`/`undefined` → nil; booleans; integers → the smallest int format; other numbers → float64
 * (non-finite numbers → 0, since NaN or Infinity would poison the master's sums); strings → UTF-8
 * str; arrays; plain objects → string-keyed maps; `Map` → a map whose number keys stay integers.
 * Anything else (Date, bigint, typed arrays, class instances) throws a TypeError: it is a bug in
 * the caller, and msgpack's ext/bin encodings would only break the master later.
 */
export function encodeMsgpack(value: unknown): Uint8Array {
  const writer = new Writer();
  writer.value(value, 0, "$");
  return writer.finish();
}

class Writer {
  private bytes = new Uint8Array(512);
  private view = new DataView(this.bytes.buffer);
  private pos = 0;

  finish(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }

  value(value: unknown, depth: number, path: string): void {
    if (depth > MAX_DEPTH) throw new TypeError(`msgpack: ${path} is nested deeper than ${MAX_DEPTH}`);
    if (value === null || value === undefined) return this.u8(0xc0);
    switch (typeof value) {
      case "boolean":
        return this.u8(value ? 0xc3 : 0xc2);
      case "number":
        return this.number(value);
      case "string":
        return this.string(value);
      case "object":
        return this.container(value, depth, path);
      default:
        throw new TypeError(`msgpack: cannot encode ${typeof value} at ${path}`);
    }
  }

  private container(value: object, depth: number, path: string): void {
    if (Array.isArray(value)) {
      this.header(value.length, 0x90, 0xdc, 0xdd);
      // An index loop, not forEach: holes in sparse arrays must still be written (as nil).
      for (let i = 0; i < value.length; i++) this.value(value[i], depth + 1, `${path}[${i}]`);
      return;
    }
    if (value instanceof Map) {
      this.header(value.size, 0x80, 0xde, 0xdf);
      for (const [key, item] of value) {
        if (typeof key !== "number" && typeof key !== "string") {
          throw new TypeError(`msgpack: map key at ${path} must be a number or string, got ${typeof key}`);
        }
        this.value(key, depth + 1, path);
        this.value(item, depth + 1, `${path}.get(${String(key)})`);
      }
      return;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const kind = Object.prototype.toString.call(value);
      throw new TypeError(`msgpack: cannot encode ${kind} at ${path}; only plain objects, arrays and Maps`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    this.header(keys.length, 0x80, 0xde, 0xdf);
    for (const key of keys) {
      this.string(key);
      this.value(record[key], depth + 1, `${path}.${key}`);
    }
  }

  // fix/16/32 headers share one shape for arrays (0x90/0xdc/0xdd) and maps (0x80/0xde/0xdf).
  private header(size: number, fix: number, sixteen: number, thirtyTwo: number): void {
    if (size < 16) return this.u8(fix | size);
    if (size < 0x10000) return this.put(sixteen, 2, (v, at) => v.setUint16(at, size));
    return this.put(thirtyTwo, 4, (v, at) => v.setUint32(at, size));
  }

  private number(value: number): void {
    const n = Number.isFinite(value) ? value : 0;
    if (!Number.isInteger(n) || n < INT64_MIN || n >= UINT64_LIMIT) {
      return this.put(0xcb, 8, (v, at) => v.setFloat64(at, n));
    }
    if (n >= 0) {
      if (n < 0x80) return this.u8(n);
      if (n < 0x100) return this.put(0xcc, 1, (v, at) => v.setUint8(at, n));
      if (n < 0x10000) return this.put(0xcd, 2, (v, at) => v.setUint16(at, n));
      if (n < 0x100000000) return this.put(0xce, 4, (v, at) => v.setUint32(at, n));
      return this.put(0xcf, 8, (v, at) => v.setBigUint64(at, BigInt(n)));
    }
    if (n >= -0x20) return this.u8(n & 0xff); // negative fixint: -1 → 0xff
    if (n >= -0x80) return this.put(0xd0, 1, (v, at) => v.setInt8(at, n));
    if (n >= -0x8000) return this.put(0xd1, 2, (v, at) => v.setInt16(at, n));
    if (n >= -0x80000000) return this.put(0xd2, 4, (v, at) => v.setInt32(at, n));
    return this.put(0xd3, 8, (v, at) => v.setBigInt64(at, BigInt(n)));
  }

  // TextEncoder replaces lone surrogates with U+FFFD, so the master never sees invalid UTF-8
  // (which it answers with "reconnect"; docs/PROTOCOL.md, Envelope).
  private string(value: string): void {
    const utf8 = textEncoder.encode(value);
    const size = utf8.length;
    if (size < 32) this.u8(0xa0 | size);
    else if (size < 0x100) this.put(0xd9, 1, (v, at) => v.setUint8(at, size));
    else if (size < 0x10000) this.put(0xda, 2, (v, at) => v.setUint16(at, size));
    else this.put(0xdb, 4, (v, at) => v.setUint32(at, size));
    this.ensure(size);
    this.bytes.set(utf8, this.pos);
    this.pos += size;
  }

  // One type byte followed by a big-endian payload of `size` bytes.
  private put(tag: number, size: number, write: (view: DataView, at: number) => void): void {
    this.ensure(1 + size);
    this.view.setUint8(this.pos, tag);
    write(this.view, this.pos + 1);
    this.pos += 1 + size;
  }

  private u8(byte: number): void {
    this.ensure(1);
    this.view.setUint8(this.pos, byte);
    this.pos += 1;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.pos + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}
