// ZMTP 3.1 codec (rfc.zeromq.org spec 37, NULL mechanism): greeting, commands and frame headers.
// Pure functions over bytes, so every wire detail is testable without sockets.

export const GREETING_SIZE = 64;
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const FLAG_MORE = 0x01;
export const FLAG_LONG = 0x02;
export const FLAG_COMMAND = 0x04;

/** Stable codes for every way a peer can break the protocol. */
export type ZmtpErrorCode =
  | "not-zmtp"
  | "unsupported-version"
  | "unsupported-mechanism"
  | "bad-frame"
  | "frame-too-large"
  | "bad-command"
  | "incompatible-socket-type"
  | "peer-error";

/** A protocol violation by the peer; the connection must be closed. */
export class ZmtpError extends Error {
  constructor(
    readonly code: ZmtpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ZmtpError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NULL_MECHANISM = "NULL";

/** Our 64-byte greeting: signature, version 3.1, NULL mechanism, as-server = 0, zero filler. */
export function encodeGreeting(): Uint8Array {
  const g = new Uint8Array(GREETING_SIZE);
  g[0] = 0xff;
  g[9] = 0x7f; // padding bytes 1-8 stay zero (the spec allows any value)
  g[10] = 3;
  g[11] = 1;
  g.set(encoder.encode(NULL_MECHANISM), 12); // mechanism is 20 bytes, zero-padded
  return g;
}

export interface PeerGreeting {
  major: number;
  minor: number;
  mechanism: string;
  asServer: boolean;
}

/**
 * Checks as many greeting bytes as have arrived, so junk is rejected on its first byte instead of
 * waiting for 64 bytes that may never come. Returns the greeting once all 64 bytes are in.
 */
export function checkGreeting(bytes: Uint8Array): PeerGreeting | undefined {
  const at = (i: number) => bytes[i] ?? 0;
  if (bytes.length >= 1 && at(0) !== 0xff) throw notZmtp();
  // libzmq only looks at the low bit of byte 9; a clear bit means a ZMTP 1.0 peer.
  if (bytes.length >= 10 && (at(9) & 0x01) === 0) throw notZmtp();
  if (bytes.length >= 11 && at(10) < 3) {
    throw new ZmtpError(
      "unsupported-version",
      `peer speaks ZMTP ${at(10) === 1 ? "2.0" : `revision ${at(10)}`} (libzmq 3.x or older); ZMTP 3.0 or newer is required`,
    );
  }
  if (bytes.length < 32) return undefined;
  const raw = bytes.subarray(12, 32);
  const end = raw.indexOf(0);
  const mechanism = decoder.decode(end === -1 ? raw : raw.subarray(0, end));
  if (mechanism !== NULL_MECHANISM) {
    throw new ZmtpError(
      "unsupported-mechanism",
      `peer uses the ${JSON.stringify(mechanism)} security mechanism; only NULL is supported (Locust uses no encryption)`,
    );
  }
  if (bytes.length < GREETING_SIZE) return undefined;
  return { major: at(10), minor: at(11), mechanism, asServer: at(32) === 1 };
}

function notZmtp(): ZmtpError {
  return new ZmtpError("not-zmtp", "peer sent bytes that are not a ZMTP greeting");
}

/** A frame header: flags byte, then a 1-byte (short) or 8-byte big-endian (long) size. */
export function encodeFrameHeader(size: number, flags: number): Uint8Array {
  if (size <= 0xff) return Uint8Array.of(flags, size);
  const h = new Uint8Array(9);
  const view = new DataView(h.buffer);
  h[0] = flags | FLAG_LONG;
  view.setUint32(1, Math.floor(size / 2 ** 32));
  view.setUint32(5, size >>> 0);
  return h;
}

/** One complete frame (header + body) in a single buffer, ready for one write(). */
export function encodeFrame(body: Uint8Array, flags = 0): Uint8Array {
  const header = encodeFrameHeader(body.length, flags);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

/** A command frame: name-size, name, data (commands never carry MORE). */
export function encodeCommand(name: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const nameBytes = encoder.encode(name);
  const body = new Uint8Array(1 + nameBytes.length + data.length);
  body[0] = nameBytes.length;
  body.set(nameBytes, 1);
  body.set(data, 1 + nameBytes.length);
  return encodeFrame(body, FLAG_COMMAND);
}

export interface Command {
  name: string;
  data: Uint8Array;
}

export function decodeCommand(body: Uint8Array): Command {
  const nameSize = body[0];
  if (nameSize === undefined || nameSize === 0 || body.length < 1 + nameSize) {
    throw new ZmtpError("bad-command", "peer sent a malformed command frame");
  }
  return { name: decoder.decode(body.subarray(1, 1 + nameSize)), data: body.subarray(1 + nameSize) };
}

/** READY metadata: name-size(1) name value-size(4, big-endian) value, repeated. */
export function encodeReady(properties: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, value] of properties) {
    const nameBytes = encoder.encode(name);
    const head = new Uint8Array(1 + nameBytes.length + 4);
    head[0] = nameBytes.length;
    head.set(nameBytes, 1);
    new DataView(head.buffer).setUint32(1 + nameBytes.length, value.length);
    parts.push(head, value);
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.length;
  }
  return encodeCommand("READY", data);
}

/** Parses READY metadata; names are case-insensitive, so keys come back lower-cased. */
export function decodeReadyProperties(data: Uint8Array): Map<string, Uint8Array> {
  const props = new Map<string, Uint8Array>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let i = 0;
  while (i < data.length) {
    const nameSize = data[i] ?? 0;
    if (nameSize === 0 || i + 1 + nameSize + 4 > data.length) throw badReady();
    const name = decoder.decode(data.subarray(i + 1, i + 1 + nameSize)).toLowerCase();
    const valueSize = view.getUint32(i + 1 + nameSize);
    const start = i + 1 + nameSize + 4;
    if (start + valueSize > data.length) throw badReady();
    props.set(name, data.subarray(start, start + valueSize));
    i = start + valueSize;
  }
  return props;
}

function badReady(): ZmtpError {
  return new ZmtpError("bad-command", "peer sent a READY command with malformed metadata");
}

const DEALER_PEERS = new Set(["ROUTER", "DEALER"]);

/** Socket-Type from a peer's READY, checked against what a DEALER may talk to. */
export function checkPeerSocketType(props: Map<string, Uint8Array>): string {
  const raw = props.get("socket-type");
  if (raw === undefined) {
    throw new ZmtpError("bad-command", "peer's READY command has no Socket-Type");
  }
  const type = decoder.decode(raw);
  if (!DEALER_PEERS.has(type)) {
    throw new ZmtpError("incompatible-socket-type", `peer is a ${type} socket, but a DEALER can only talk to a ROUTER or a DEALER`);
  }
  return type;
}

/** ERROR carries a 1-byte reason size and the reason text. */
export function encodeError(reason: string): Uint8Array {
  const r = encoder.encode(reason).subarray(0, 255);
  return encodeCommand("ERROR", Uint8Array.of(r.length, ...r));
}

export function decodeErrorReason(data: Uint8Array): string {
  const size = data[0] ?? 0;
  return decoder.decode(data.subarray(1, 1 + size));
}

/** PONG echoes the PING context (ZMTP 3.1: PING = TTL(2 bytes) + context up to 16 bytes). */
export function pongFor(pingData: Uint8Array): Uint8Array {
  if (pingData.length < 2) throw new ZmtpError("bad-command", "peer sent a PING shorter than its TTL");
  return encodeCommand("PONG", pingData.subarray(2, 2 + 16));
}

export function encodePing(ttlDeciseconds: number, context: Uint8Array): Uint8Array {
  const data = new Uint8Array(2 + context.length);
  new DataView(data.buffer).setUint16(0, ttlDeciseconds);
  data.set(context, 2);
  return encodeCommand("PING", data);
}
