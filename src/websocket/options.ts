// What ctx.websocket and a socket's calls can be told, and the socket's settings once defaults are applied.
import { WebSocketError } from "./errors.ts";
import type { InboxLimits, Message } from "./calls.ts";

export interface WebSocketOptions {
  /** Stats name of the connect row and of the socket's messages; defaults to the URL's path and query. */
  name?: string;
  /** Sent with the upgrade request (Origin, Authorization, Cookie, …). */
  headers?: Record<string, string>;
  /** Offered in Sec-WebSocket-Protocol; `ws.protocol` is the one the server chose. */
  subprotocols?: string[];
  /** Bound on the handshake, and the default for receive() and request(); default 60000; 0 or Infinity: none. */
  timeoutMs?: number;
  /** A message from the server larger than this closes the socket with 1009 (a recorded failure); default 16 MiB. */
  maxMessageBytes?: number;
  /**
   * Messages that arrived while no receive() or request() waited are kept for later, up to this
   * many; one more closes the socket with 1008 (a recorded failure, EINBOXFULL); default 10000.
   */
  maxInboxMessages?: number;
  /** The same bound on those messages' bytes (as recorded); default 16 MiB. */
  maxInboxBytes?: number;
  /** Offer permessage-deflate (used when the server agrees); default true. */
  compression?: boolean;
  /** Verify wss:// certificates; default: the class's `http.rejectUnauthorized`, else true. */
  rejectUnauthorized?: boolean;
}

export interface ReceiveOptions {
  /** Bound on this wait; default the socket's timeoutMs; 0 or Infinity: none. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Stats name of this request's row; defaults to the socket's name. */
  name?: string;
  /** Which message is the reply (the first one it accepts); default: the next message. */
  match?: (message: Message) => boolean;
  /** Bound on the round trip; default the socket's timeoutMs; 0 or Infinity: none. */
  timeoutMs?: number;
}

export interface Settings {
  readonly headers: Readonly<Record<string, string>>;
  readonly subprotocols: readonly string[];
  readonly timeoutMs: number;
  readonly maxMessageBytes: number;
  readonly inbox: InboxLimits;
  readonly compression: boolean;
  readonly rejectUnauthorized: boolean;
}

export function settingsOf(options: WebSocketOptions | undefined, rejectUnauthorized: boolean): Settings {
  const timeoutMs = options?.timeoutMs ?? 60_000;
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0)
    invalid("timeoutMs", timeoutMs, "milliseconds >= 0 (0 or Infinity: none)");
  const maxMessageBytes = options?.maxMessageBytes ?? 16 * 1024 * 1024;
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1)
    invalid("maxMessageBytes", maxMessageBytes, "a whole number of bytes >= 1");
  const inbox = { messages: options?.maxInboxMessages ?? 10_000, bytes: options?.maxInboxBytes ?? 16 * 1024 * 1024 };
  if (!Number.isSafeInteger(inbox.messages) || inbox.messages < 0)
    invalid("maxInboxMessages", inbox.messages, "a whole number of messages >= 0 (0: keep none unread)");
  if (!Number.isSafeInteger(inbox.bytes) || inbox.bytes < 0) invalid("maxInboxBytes", inbox.bytes, "a whole number of bytes >= 0");
  const subprotocols = options?.subprotocols ?? [];
  if (!Array.isArray(subprotocols) || subprotocols.some((p) => typeof p !== "string" || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(p)))
    invalid("subprotocols", subprotocols, 'a list of tokens such as ["chat", "v2.json"]');
  for (const [name, value] of Object.entries(options?.headers ?? {}))
    if (/[\r\n:]/.test(name) || /[\r\n]/.test(String(value)))
      invalid("headers", name, "names and values without line breaks (and names without ':')");
  return {
    headers: options?.headers ?? {},
    subprotocols,
    timeoutMs: timeoutMs === 0 ? Infinity : timeoutMs,
    maxMessageBytes,
    inbox,
    compression: options?.compression ?? true,
    rejectUnauthorized: options?.rejectUnauthorized ?? rejectUnauthorized,
  };
}

function invalid(option: string, value: unknown, want: string): never {
  throw new WebSocketError(
    "EINVALIDOPTION",
    `websocket option ${option} must be ${want}, not ${JSON.stringify(value) ?? String(value)}`,
    false,
  );
}

/** A call's own timeoutMs: 0 and Infinity mean none. */
export function checkTimeout(ms: number): number {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0) invalid("timeoutMs", ms, "milliseconds >= 0 (0 or Infinity: none)");
  return ms === 0 ? Infinity : ms;
}
