// Small checks for decoded msgpack values. They throw `Invalid` with a message naming the field
// and what arrived; decodeMasterMessage catches it in one place and returns { ok: false }.

/** A malformed field in an otherwise decodable message. */
export class Invalid extends Error {
  override name = "Invalid";
}

/** A decoded msgpack map (the decoder yields plain objects; arrays, bin and ext are not maps). */
export function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short, log-safe description of a decoded value for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `array of ${value.length}`;
  if (value instanceof Uint8Array) return `bin of ${value.length} bytes`;
  if (isMap(value)) return "map";
  return Object.prototype.toString.call(value);
}

export function requireMap(value: unknown, what: string): Record<string, unknown> {
  if (!isMap(value)) throw new Invalid(`${what} must be a map, got ${describe(value)}`);
  return value;
}

export function requireString(value: unknown, what: string): string {
  if (typeof value !== "string") throw new Invalid(`${what} must be a string, got ${describe(value)}`);
  return value;
}

export function requireFinite(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new Invalid(`${what} must be a number, got ${describe(value)}`);
  }
  return value;
}

export function requireNonNegative(value: unknown, what: string): number {
  const n = requireFinite(value, what);
  if (n < 0) throw new Invalid(`${what} must be a non-negative number, got ${n}`);
  return n;
}

export function requireCount(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new Invalid(`${what} must be a non-negative integer, got ${describe(value)}`);
  }
  return value;
}

/** `{ name: count }` with non-negative integer counts (user_classes_count). */
export function requireCounts(value: unknown, what: string): Record<string, number> {
  const map = requireMap(value, what);
  // fromEntries defines own properties, so a class named like an Object.prototype member is safe.
  return Object.fromEntries(Object.entries(map).map(([name, count]) => [name, requireCount(count, `${what}[${JSON.stringify(name)}]`)]));
}

/** None and "" both mean "no host" to Locust (the worker only overrides truthy hosts; docs/PROTOCOL.md, Lifecycle). */
export function optionalHost(value: unknown, what: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  return requireString(value, `${what} (or nil)`);
}

export function requireStrings(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) throw new Invalid(`${what} must be an array of strings, got ${describe(value)}`);
  return value.map((item, i) => requireString(item, `${what}[${i}]`));
}
