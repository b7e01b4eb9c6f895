// A request checked against its message type before it is encoded: protobufjs's fromObject turns
// what it cannot encode into something else ("abc" → 0 for an int32, 2**40 cut to 32 bits, an
// unknown enum name → 0) and drops fields it does not know, so a typo would pass as a success.
// Type.verify misses ranges, unknown names, and the strings proto-loader takes for 64-bit integers
// and enums, so the walk is our own. It allocates nothing for a request that is right.
import protobuf from "protobufjs";

/** What is wrong: where (e.g. "lo.latitude", "" for the request itself) and why. */
export interface Problem {
  path: string;
  text: string;
}

const INT32 = [-2147483648, 2147483647] as const;
const UINT32 = [0, 4294967295] as const;
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n] as const;
const UINT64 = [0n, 2n ** 64n - 1n] as const;
const DECIMAL = /^-?\d+$/;

/** Undefined when `value` encodes as `type` exactly as given. */
export function messageProblem(type: protobuf.Type, value: unknown): Problem | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value) || ArrayBuffer.isView(value))
    return { path: "", text: `is ${shown(value)}, but ${messageWanted(type)}` };
  // A packed Any ({ "@type": ..., ...fields }) is protobufjs's to read (its Any wrapper).
  if (type.fullName === ".google.protobuf.Any" && "@type" in value) return undefined;
  const fields = type.fields;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) {
      // With oneofs: true a reply names its set member in a virtual field; one passed back is fine.
      if (type.oneofs !== undefined && Object.hasOwn(type.oneofs, key) && typeof item === "string") continue;
      return { path: key, text: `is not a field of ${type.fullName.slice(1)} (its fields: ${fieldNames(type) || "none"})` };
    }
    if (item === undefined || item === null) continue; // unset, as fromObject reads it
    const problem = fieldProblem(field, item);
    if (problem !== undefined) return within(key, problem);
  }
  for (const oneof of type.oneofsArray) {
    let set = 0;
    for (const member of oneof.fieldsArray) if (record[member.name] !== undefined && record[member.name] !== null) set++;
    if (set > 1)
      return { path: "", text: `sets ${set} members of oneof ${oneof.name} (${oneof.oneof.join(", ")}), which holds one at most` };
  }
  return undefined;
}

function fieldProblem(field: protobuf.Field, value: unknown): Problem | undefined {
  if (field.map) {
    if (typeof value !== "object" || Array.isArray(value) || value instanceof Map)
      return { path: "", text: `is ${shown(value)}, but a map field is a plain object (key → value)` };
    const { keyType } = field as unknown as protobuf.MapField; // a map field is a MapField, which types.d.ts does not relate
    const integerKeys = keyType !== "string" && keyType !== "bool";
    for (const key in value as Record<string, unknown>) {
      if (integerKeys && !DECIMAL.test(key))
        return { path: key, text: `is not a key of this map: its keys are ${keyType} (whole numbers)` };
      const problem = oneProblem(field, (value as Record<string, unknown>)[key]);
      if (problem !== undefined) return within(`[${JSON.stringify(key)}]`, problem);
    }
    return undefined;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return { path: "", text: `is ${shown(value)}, but a repeated field is an array` };
    for (let i = 0; i < value.length; i++) {
      const problem = oneProblem(field, value[i]);
      if (problem !== undefined) return within(`[${i}]`, problem);
    }
    return undefined;
  }
  return oneProblem(field, value);
}

// One value of the field's type (an element, for a repeated or map field).
function oneProblem(field: protobuf.Field, value: unknown): Problem | undefined {
  const type = field.resolvedType;
  if (type instanceof protobuf.Type) return messageProblem(type, value);
  if (type instanceof protobuf.Enum) {
    if (typeof value === "string" ? Object.hasOwn(type.values, value) : inRange(value, INT32)) return undefined;
    return wrong(value, `a ${type.fullName.slice(1)} is one of ${Object.keys(type.values).join(", ")} (or its number)`);
  }
  switch (field.type) {
    case "double":
    case "float":
      return typeof value === "number" ? undefined : wrong(value, `a ${field.type} is a number`);
    case "int32":
    case "sint32":
    case "sfixed32":
      return inRange(value, INT32) ? undefined : wrong(value, `an ${field.type} is a whole number from ${INT32[0]} to ${INT32[1]}`);
    case "uint32":
    case "fixed32":
      return inRange(value, UINT32) ? undefined : wrong(value, `a ${field.type} is a whole number from 0 to ${UINT32[1]}`);
    case "int64":
    case "sint64":
    case "sfixed64":
      return long(value, INT64) ? undefined : wrong(value, `an ${field.type} is a whole number from ${INT64[0]} to ${INT64[1]}${AS_LONG}`);
    case "uint64":
    case "fixed64":
      return long(value, UINT64) ? undefined : wrong(value, `a ${field.type} is a whole number from 0 to ${UINT64[1]}${AS_LONG}`);
    case "bool":
      return typeof value === "boolean" ? undefined : wrong(value, "a bool is true or false");
    case "string":
      return typeof value === "string" ? undefined : wrong(value, "a string field takes a string");
    case "bytes":
      return value instanceof Uint8Array || typeof value === "string" ? undefined : wrong(value, "bytes are a Uint8Array (or base64 text)");
    default:
      return undefined; // every scalar is named above; a resolved type was handled first
  }
}

const AS_LONG = ", a number or a decimal string (as replies give them)";

function inRange(value: unknown, [lo, hi]: readonly [number, number]): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= lo && value <= hi;
}

// proto-loader takes a number, a decimal string or a Long ({ low, high }); a bigint it would read as 0.
function long(value: unknown, [lo, hi]: readonly [bigint, bigint]): boolean {
  if (typeof value === "number") return Number.isInteger(value) && value >= Number(lo) && value <= Number(hi);
  if (typeof value === "string") return DECIMAL.test(value) && BigInt(value) >= lo && BigInt(value) <= hi;
  const bits = value as { low?: unknown; high?: unknown };
  return typeof value === "object" && Number.isInteger(bits.low) && Number.isInteger(bits.high);
}

function wrong(value: unknown, wanted: string): Problem {
  return { path: "", text: `is ${shown(value)}, but ${wanted}` };
}

function within(step: string, problem: Problem): Problem {
  const joined = problem.path === "" || problem.path.startsWith("[") ? `${step}${problem.path}` : `${step}.${problem.path}`;
  return { path: joined, text: problem.text };
}

function messageWanted(type: protobuf.Type): string {
  return `a ${type.fullName.slice(1)} is an object of its fields (${fieldNames(type) || "none"})`;
}

function fieldNames(type: protobuf.Type): string {
  return Object.keys(type.fields).join(", ");
}

function shown(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "object")
    return value.constructor === Object || value.constructor === undefined ? "an object" : `a ${value.constructor.name}`;
  return typeof value === "number" || typeof value === "boolean" || value === undefined ? String(value) : `a ${typeof value}`;
}
