// permessage-deflate (RFC 7692) without context takeover in either direction: each message is
// compressed alone, so one synchronous zlib call per message does it and a socket holds no zlib
// state between messages (gorilla/websocket supports only this mode; Python's websockets agrees to it).
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";

export const DEFLATE_OFFER = "permessage-deflate; client_no_context_takeover; server_no_context_takeover";
/** Messages shorter than this are sent uncompressed (RFC 7692 lets each message choose). */
export const COMPRESS_FROM_BYTES = 128;
const TAIL = new Uint8Array([0x00, 0x00, 0xff, 0xff]);

/** true when the answer is one we can honour, else why not. */
export function parseDeflateAnswer(extensions: string): true | string {
  const offers = extensions.split(",");
  if (offers.length !== 1) return "more than one extension";
  const [name, ...params] = (offers[0] as string).split(";").map((part) => part.trim());
  if (name !== "permessage-deflate") return `unknown extension ${name}`;
  for (const param of params) {
    const [key, value] = param.split("=").map((part) => part.trim());
    if (key === "server_no_context_takeover" || key === "client_no_context_takeover") continue;
    // A smaller server window is fine for inflate (it reads with the largest window).
    if (key === "server_max_window_bits" && Number(value) >= 8 && Number(value) <= 15) continue;
    return `unsupported parameter ${param}`;
  }
  return true;
}

/** One received message inflated; its size is bounded like an uncompressed one (a zip bomb stops there). */
export function inflate(payload: Uint8Array, maxBytes: number): Uint8Array {
  const input = new Uint8Array(payload.length + 4);
  input.set(payload);
  input.set(TAIL, payload.length);
  return inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, maxBytes) });
}

/** One message to send deflated, without the 4-byte tail the receiver adds back. */
export function deflate(payload: Uint8Array): Uint8Array {
  const out = deflateRawSync(payload, { finishFlush: constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}
