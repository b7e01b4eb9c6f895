// Turns (method, url, headers, body) into the bytes we write: the head is serialized once and, for
// body-less requests without per-call headers, cached by the client and written many times.
import { Buffer } from "node:buffer";
import { isIP } from "node:net";
import { maskCredentials } from "./credentials.ts";
import { HttpError } from "./errors.ts";

/** Where a request goes: one pool of connections per origin. */
export interface Origin {
  readonly key: string; // "http://host:port", the pool key
  readonly tls: boolean;
  readonly host: string; // for connect(): no IPv6 brackets
  readonly port: number;
  readonly servername: string | undefined; // SNI: only for names, never for IP literals
  readonly authority: string; // "host:port", for error messages
}

/** A request ready to write. */
export interface Prepared {
  readonly method: string;
  readonly href: string; // absolute URL without credentials: what redirects resolve against and responses report
  readonly target: string; // "/path?query" as requests writes it: the request line, and Locust's default name
  readonly origin: Origin;
  readonly wire: Uint8Array; // head and body in one buffer: one write, one packet for small bodies
  readonly body: Uint8Array | undefined;
  readonly contentType: string | undefined; // implied by `json`, kept for 307/308 redirects
  readonly noResponseBody: boolean; // HEAD: the response never has a body
  readonly headers: Readonly<Record<string, string>>; // the per-call headers, kept for redirects
  readonly path: string; // url.pathname, for cookie path matching
  readonly headLength: number; // wire bytes up to and including the empty line
  readonly explicitCookie: boolean; // the caller set a Cookie header: it is sent as given, the jar's is not
  /** The wire with the jar's Cookie header, and the jar version it was made for (see HttpClient). */
  cookieWire: { version: number; wire: Uint8Array } | undefined;
  /** The HTTP/2 header block encoded from a wire (h2/messages.ts), kept for the same bytes. */
  h2Headers: { wire: Uint8Array; block: Uint8Array } | undefined;
}

const encoder = new TextEncoder();
const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A URL with a scheme of its own: joinUrl leaves it as it is. */
export const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * A relative URL appended to baseUrl as a string, like Locust's `host + path`, so a base path
 * ("http://h/api") is kept; an absolute one as it is.
 */
export function joinUrl(url: string, baseUrl: string | undefined): string {
  if (ABSOLUTE.test(url)) return url;
  if (baseUrl === undefined)
    throw new HttpError(
      "EINVALIDURL",
      `URL ${JSON.stringify(maskCredentials(url))} is relative and there is no host: give one (--host, the web UI's Host field, the class's host or the client's baseUrl)`,
    );
  return `${baseUrl}${url.startsWith("/") || url.startsWith("?") ? "" : "/"}${url}`;
}

/** Parses an absolute URL; unusable URLs are programming errors (EINVALIDURL). */
export function parseUrl(full: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    // Not chained: the parser's own message repeats the URL, credentials and all.
    throw new HttpError("EINVALIDURL", `cannot parse URL ${JSON.stringify(maskCredentials(full))}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new HttpError("EINVALIDURL", `URL ${JSON.stringify(maskCredentials(full))} is not http: or https:`);
  return parsed;
}

/** joinUrl then parseUrl. */
export function resolveUrl(url: string, baseUrl: string | undefined): URL {
  return parseUrl(joinUrl(url, baseUrl));
}

/** The origin of a URL; its key picks the connection pool. */
export function originOf(url: URL): Origin {
  const tls = url.protocol === "https:";
  const port = url.port === "" ? (tls ? 443 : 80) : Number(url.port);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const servername = tls && isIP(host) === 0 ? host : undefined;
  const key = `${url.protocol}//${url.hostname}:${port}`;
  return { key, tls, host, port, servername, authority: `${url.hostname}:${port}` };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeader(name: string, value: string): void {
  if (!TOKEN.test(name)) throw new HttpError("EINVALIDHEADER", `header name ${JSON.stringify(name)} is not a valid HTTP token`);
  if (/[\r\n\0]/.test(value))
    throw new HttpError("EINVALIDHEADER", `header ${name} has a CR, LF or NUL in its value; that would split the request`);
}

/**
 * Serializes one request to `url` (without credentials), writing `target` in the request line.
 * Defaults (client headers, then per-call headers) are overridden by name, case-insensitively;
 * Content-Length is always ours, Host and User-Agent only unless set.
 */
export function prepare(
  method: string,
  url: URL,
  target: string,
  defaults: Readonly<Record<string, string>>,
  headers: Readonly<Record<string, string>> | undefined,
  body: Uint8Array | undefined,
  contentType: string | undefined,
): Prepared {
  const origin = originOf(url);
  const defaultPort = origin.tls ? 443 : 80;
  let hostHeader = origin.port === defaultPort ? url.hostname : `${url.hostname}:${origin.port}`;
  if (!TOKEN.test(method)) throw new HttpError("EINVALIDMETHOD", `method ${JSON.stringify(method)} is not a valid HTTP token`);
  const merged = new Map<string, [string, string]>();
  merged.set("user-agent", ["User-Agent", "loadworker"]);
  if (contentType !== undefined) merged.set("content-type", ["Content-Type", contentType]);
  for (const source of [defaults, headers ?? EMPTY_HEADERS]) {
    for (const name of Object.keys(source)) {
      const value = source[name] ?? "";
      checkHeader(name, value);
      const lower = name.toLowerCase();
      if (lower === "host") hostHeader = value; // virtual hosts: the caller may name another
      if (lower === "host" || lower === "content-length" || lower === "transfer-encoding") continue;
      merged.set(lower, [name, value]);
    }
  }
  let text = `${method} ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\n`;
  for (const [name, value] of merged.values()) text += `${name}: ${value}\r\n`;
  // Methods that usually carry a body announce an empty one, so servers need not wait for it.
  if (body !== undefined) text += `Content-Length: ${body.byteLength}\r\n`;
  else if (method === "POST" || method === "PUT" || method === "PATCH") text += "Content-Length: 0\r\n";
  text += "\r\n";
  // A Buffer, so socket.write() does not wrap a Uint8Array into one on every request.
  const head = encoder.encode(text);
  const wire = Buffer.allocUnsafe(head.byteLength + (body?.byteLength ?? 0));
  wire.set(head);
  if (body !== undefined) wire.set(body, head.byteLength);
  return {
    method,
    href: url.href,
    target,
    origin,
    wire,
    body,
    contentType,
    noResponseBody: method === "HEAD",
    headers: headers ?? EMPTY_HEADERS,
    path: url.pathname,
    headLength: head.byteLength,
    explicitCookie: merged.has("cookie"),
    cookieWire: undefined,
    h2Headers: undefined, // set on the first HTTP/2 send; in the literal, so every Prepared has one shape
  };
}

/** The request with a Cookie header added at the end of its head (cookie text is latin-1, as Python sends it). */
export function withCookie(prepared: Prepared, cookie: string): Uint8Array {
  const line = Buffer.from(`Cookie: ${cookie}\r\n`, "latin1");
  const at = prepared.headLength - 2; // before the empty line
  const wire = Buffer.allocUnsafe(prepared.wire.byteLength + line.byteLength);
  wire.set(prepared.wire.subarray(0, at));
  wire.set(line, at);
  wire.set(prepared.wire.subarray(at), at + line.byteLength);
  return wire;
}

/** Request body bytes and the content type it implies; `body` wins over `json`, as in requests. */
export function encodeBody(
  body: string | Uint8Array | undefined,
  json: unknown,
): { bytes: Uint8Array | undefined; contentType: string | undefined } {
  if (typeof body === "string") return { bytes: encoder.encode(body), contentType: undefined };
  if (body !== undefined) return { bytes: body, contentType: undefined };
  if (json !== undefined) return { bytes: encoder.encode(JSON.stringify(json)), contentType: "application/json" };
  return { bytes: undefined, contentType: undefined };
}
