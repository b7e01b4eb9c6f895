// A message to and from its frame's payload: UTF-8 for text, permessage-deflate when agreed.
import { COMPRESS_FROM_BYTES, deflate, inflate } from "./deflate.ts";
import type { Message } from "./calls.ts";
import { WebSocketError } from "./errors.ts";
import { encodeFrame, OPCODE } from "./frame.ts";

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A message's frame, and its length in bytes before compression (what WS-send records). */
export function messageFrame(data: Message, compression: boolean): { frame: Uint8Array; bytes: number } {
  const text = typeof data === "string";
  const bytes = text ? encoder.encode(data) : data;
  if (!(bytes instanceof Uint8Array))
    throw new WebSocketError("EINVALIDOPTION", "send() and request() take a string or a Uint8Array", false);
  const compress = compression && bytes.length >= COMPRESS_FROM_BYTES;
  return { frame: encodeFrame(text ? OPCODE.text : OPCODE.binary, compress ? deflate(bytes) : bytes, compress), bytes: bytes.length };
}

/** A received message and its length once inflated, or the close code and reason when it cannot be read. */
export function readMessage(
  payload: Uint8Array,
  binary: boolean,
  compressed: boolean,
  maxBytes: number,
): { message: Message; bytes: number } | { code: number; reason: string } {
  try {
    const bytes = compressed ? inflate(payload, maxBytes) : payload;
    return { message: binary ? bytes : utf8.decode(bytes), bytes: bytes.length };
  } catch (error) {
    if (error instanceof RangeError && compressed)
      return { code: 1009, reason: `the server sent a message that inflates past ${maxBytes} bytes (maxMessageBytes)` };
    return { code: 1007, reason: "the server sent a text message that is not valid UTF-8 (or deflate data that does not inflate)" };
  }
}
