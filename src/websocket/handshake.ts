// The opening handshake (RFC 6455 section 4): the upgrade request's bytes, and the server's answer
// checked: 101, Upgrade/Connection, Sec-WebSocket-Accept, and what it picked of our offers.
import { createHash, getRandomValues } from "node:crypto";
import { DEFLATE_OFFER, parseDeflateAnswer } from "./deflate.ts";
import { concat } from "./frame.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** A server that sends more than this before the blank line is not answering a handshake. */
const MAX_HEAD_BYTES = 16 * 1024;

export interface UpgradeRequest {
  readonly bytes: Uint8Array;
  readonly key: string;
}

export interface Target {
  /** Basic auth from credentials in the URL; headers given by the task win over it. */
  readonly authorization: string | undefined;
  /** "host:port" as the Host header wants it (the port left out when it is the scheme's). */
  readonly hostHeader: string;
  /** "/path?query" */
  readonly path: string;
}

export function upgradeRequest(
  target: Target,
  headers: Readonly<Record<string, string>>,
  subprotocols: readonly string[],
  compression: boolean,
): UpgradeRequest {
  const key = btoa(String.fromCharCode(...getRandomValues(new Uint8Array(16))));
  let head = `GET ${target.path} HTTP/1.1\r\nHost: ${target.hostHeader}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`;
  head += `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`;
  if (subprotocols.length > 0) head += `Sec-WebSocket-Protocol: ${subprotocols.join(", ")}\r\n`;
  if (compression) head += `Sec-WebSocket-Extensions: ${DEFLATE_OFFER}\r\n`;
  const all = target.authorization === undefined ? headers : { Authorization: target.authorization, ...headers };
  for (const [name, value] of Object.entries(all)) head += `${name}: ${value}\r\n`;
  return { bytes: new TextEncoder().encode(`${head}\r\n`), key };
}

export type Answer =
  | { readonly ok: true; readonly protocol: string; readonly compression: boolean }
  | { readonly ok: false; readonly reason: string };

/** Checks the response head (the bytes before the blank line) against the request. */
export function checkAnswer(head: string, key: string, subprotocols: readonly string[], compression: boolean): Answer {
  const lines = head.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? "");
  if (status === null)
    return { ok: false, reason: `the server did not answer with HTTP: ${JSON.stringify((lines[0] ?? "").slice(0, 80))}` };
  if (status[1] !== "101") return { ok: false, reason: `the server refused the upgrade: HTTP ${status[1]} ${status[2] ?? ""}`.trimEnd() };
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  if (headers.get("upgrade")?.toLowerCase() !== "websocket") return { ok: false, reason: "the server's 101 has no Upgrade: websocket" };
  if (!/(^|,)\s*upgrade\s*(,|$)/i.test(headers.get("connection") ?? ""))
    return { ok: false, reason: "the server's 101 has no Connection: Upgrade" };
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  if (headers.get("sec-websocket-accept") !== accept)
    return { ok: false, reason: "the server's Sec-WebSocket-Accept does not match our key" };
  const protocol = headers.get("sec-websocket-protocol") ?? "";
  if (protocol !== "" && !subprotocols.includes(protocol))
    return { ok: false, reason: `the server chose subprotocol "${protocol}", which was not offered` };
  const extensions = headers.get("sec-websocket-extensions");
  if (extensions === undefined) return { ok: true, protocol, compression: false };
  const deflate = compression ? parseDeflateAnswer(extensions) : "not offered";
  if (typeof deflate === "string")
    return { ok: false, reason: `the server answered with extensions we cannot use (${extensions}): ${deflate}` };
  return { ok: true, protocol, compression: true };
}

/** Collects the handshake answer's head across chunks. */
export class HeadReader {
  private held: Uint8Array | undefined;

  /** The head (without the blank line) and the bytes after it, once complete; a string: why it never will be. */
  push(chunk: Uint8Array): { head: string; rest: Uint8Array } | string | undefined {
    const bytes = this.held === undefined ? chunk : concat([this.held, chunk], this.held.length + chunk.length);
    const end = blankLine(bytes);
    if (end < 0) {
      if (bytes.length > MAX_HEAD_BYTES) return `the server sent more than ${MAX_HEAD_BYTES} bytes without ending its handshake answer`;
      this.held = bytes;
      return undefined;
    }
    this.held = undefined;
    return { head: new TextDecoder("latin1").decode(bytes.subarray(0, end)), rest: bytes.subarray(end + 4) };
  }
}

function blankLine(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++)
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i;
  return -1;
}
