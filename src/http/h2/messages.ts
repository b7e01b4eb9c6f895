// HTTP/2 requests and responses in the shapes the rest of the client already speaks. A request's
// header block is encoded from the HTTP/1.1 bytes the steps built (defaults, credentials, the
// jar's cookies: one source of truth), without the fields HTTP/2 forbids; a response becomes a
// RawResponse whose head is written out as HTTP/1.1 text, so names, cookies, decoding and the
// failure texts work on it unchanged.
import { Buffer } from "node:buffer";
import type { RawResponse } from "../raw-response.ts";
import { HttpResponse } from "../response.ts";
import type { Prepared } from "../request.ts";
import { encodeBlock } from "./hpack-encoder.ts";

/** Connection-specific fields (RFC 9113 §8.2.2): a request carrying them is malformed in HTTP/2. */
const CONNECTION_SPECIFIC = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);

const latin1 = new TextDecoder("latin1");

/** The HPACK block of a hop written as `wire` (its request headers); cached on the hop for the same bytes. */
export function requestBlock(hop: Prepared, wire: Uint8Array): Uint8Array {
  const cached = hop.h2Headers;
  if (cached !== undefined && cached.wire === wire) return cached.block;
  // Pseudo-headers first (RFC 9113 §8.3); :authority is the Host header's value.
  const fields: [string, string][] = [
    [":method", hop.method],
    [":scheme", hop.origin.tls ? "https" : "http"],
    [":path", hop.target],
  ];
  const rest: [string, string][] = [];
  const end = wire.indexOf(10, 0);
  const lines = latin1.decode(wire.subarray(end + 1, headEnd(wire))).split("\r\n");
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "host") fields.push([":authority", value]);
    if (CONNECTION_SPECIFIC.has(name) || (name === "te" && value.toLowerCase() !== "trailers")) continue;
    rest.push([name, value]);
  }
  const block = encodeBlock([...fields, ...rest]);
  hop.h2Headers = { wire, block };
  return block;
}

/** Where the head of an HTTP/1.1 request ends (after its empty line). */
function headEnd(wire: Uint8Array): number {
  for (let i = 3; i < wire.length; i++) if (wire[i] === 10 && wire[i - 1] === 13 && wire[i - 2] === 10) return i - 1;
  return wire.length;
}

/** A RawResponse for an HTTP/2 response's header fields; its body is added as DATA arrives (takeBody). */
export function h2Response(status: number, fields: readonly (readonly [string, string])[]): RawResponse {
  const raw = new H2RawResponse(status, fields);
  for (const [name] of fields) {
    if (name === "content-encoding") raw.encoded = true;
    else if (name === "set-cookie") raw.setCookie = true;
  }
  return raw;
}

const EMPTY = new Uint8Array(0);
let statusCodes: Record<number, string | undefined> | undefined;

/**
 * Its head is written out as HTTP/1.1 text only when something reads it (a redirect's Location,
 * Set-Cookie, `response.headers`): a load loop that only checks the status never pays for it.
 */
class H2RawResponse extends HttpResponse {
  private written: Uint8Array | undefined;
  constructor(
    status: number,
    private readonly fields: readonly (readonly [string, string])[],
  ) {
    super(status, EMPTY, 0, 0);
  }

  override head(): Uint8Array {
    if (this.written !== undefined) return this.written;
    // HTTP/2 has no reason phrase; the standard one keeps failure texts as over HTTP/1.1 ("404 Client
    // Error: Not Found"). "HTTP/2.0" is as long as "HTTP/1.1", where response.reason looks for it.
    // node:http is loaded by the first head written, as node:tls by the first https connection.
    statusCodes ??= process.getBuiltinModule("node:http").STATUS_CODES;
    let text = `HTTP/2.0 ${this.status} ${statusCodes[this.status] ?? ""}\r\n`;
    for (const [name, value] of this.fields) if (!name.startsWith(":")) text += `${name}: ${value}\r\n`;
    this.written = Buffer.from(`${text}\r\n`, "latin1");
    return this.written;
  }
}

/** Adds a DATA frame's bytes, `chunk[start, end)`; past the cap they are counted, not kept (as the HTTP/1.1 parser does). */
export function takeBody(raw: RawResponse, chunk: Uint8Array, start: number, end: number, maxBodyBytes: number): void {
  if (end <= start) return;
  raw.received += end - start;
  if (raw.overflow) return;
  if (raw.received > maxBodyBytes) {
    raw.overflow = true;
    raw.first = null;
    raw.more = null;
  } else if (raw.first === null) {
    raw.first = chunk;
    raw.firstStart = start;
    raw.firstEnd = end;
  } else if (raw.more === null) raw.more = [chunk.subarray(start, end)];
  else raw.more.push(chunk.subarray(start, end));
}
