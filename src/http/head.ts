// Reads an HTTP/1.x response head by byte comparison. Only the framing headers (Content-Length,
// Transfer-Encoding, Connection) are looked at; the rest stays bytes until someone asks.

export const NEED_MORE = -1;
export const FAILED = -2;

/** What the framing of a response depends on; one reusable object per parser. */
export interface HeadInfo {
  status: number;
  minor: number; // HTTP/1.<minor>
  contentLength: number; // -1 when absent
  chunked: boolean;
  otherCoding: boolean; // a Transfer-Encoding that does not end in chunked
  close: boolean; // Connection: close
  keepAlive: boolean; // Connection: keep-alive (matters for HTTP/1.0)
  encoded: boolean; // a Content-Encoding header is present (its value is read only then)
  setCookie: boolean; // at least one Set-Cookie header is present
  error: string; // why FAILED
}

const CONTENT_LENGTH = bytes("content-length");
const TRANSFER_ENCODING = bytes("transfer-encoding");
const CONNECTION = bytes("connection");
const SET_COOKIE = bytes("set-cookie");
const CONTENT_ENCODING = bytes("content-encoding");
const CHUNKED = bytes("chunked");
const CLOSE = bytes("close");
const KEEP_ALIVE = bytes("keep-alive");
const HTTP_1 = bytes("HTTP/1.");

function bytes(ascii: string): Uint8Array {
  return new TextEncoder().encode(ascii);
}

/** Does buf[at..] equal `lower`, ignoring ASCII case? */
function matchLower(buf: Uint8Array, at: number, lower: Uint8Array): boolean {
  for (let i = 0; i < lower.length; i++) if (((buf[at + i] ?? 0) | 0x20) !== lower[i]) return false;
  return true;
}

/** A decimal value between optional spaces (Content-Length), or -1 when it is not one. */
function digits(buf: Uint8Array, start: number, end: number): number {
  let value = 0;
  let count = 0;
  let done = false;
  for (let k = start; k < end; k++) {
    const c = buf[k] as number;
    if (c === 32 || c === 9) {
      done = count > 0;
      continue;
    }
    if (done || c < 48 || c > 57 || ++count > 15) return -1;
    value = value * 10 + (c - 48);
  }
  return count === 0 ? -1 : value;
}

/** Does the value buf[start..end) contain the token `lower` (case-insensitive)? */
function hasToken(buf: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  for (let i = start; i + lower.length <= end; i++) if (matchLower(buf, i, lower)) return true;
  return false;
}

function fail(out: HeadInfo, why: string): number {
  out.error = why;
  return FAILED;
}

/**
 * Scans a response head from `start` in one pass (a JS loop beats a native indexOf call per short
 * line on Buffers); fills `out` and returns the offset after the empty line, NEED_MORE or FAILED.
 */
export function scanHead(buf: Uint8Array, start: number, out: HeadInfo): number {
  const len = buf.length;
  for (let i = 0; i < HTTP_1.length && start + i < len; i++) {
    if (buf[start + i] !== HTTP_1[i]) return fail(out, "response does not start with HTTP/1.");
  }
  let i = start;
  while (i < len && buf[i] !== 10) i++;
  if (i === len) return NEED_MORE;
  const minor = (buf[start + 7] ?? 0) - 48;
  const d0 = (buf[start + 9] ?? 0) - 48,
    d1 = (buf[start + 10] ?? 0) - 48,
    d2 = (buf[start + 11] ?? 0) - 48;
  const after = buf[start + 12];
  if (
    buf[start + 8] !== 32 ||
    !(minor === 0 || minor === 1) ||
    d0 < 1 ||
    d0 > 9 ||
    d1 < 0 ||
    d1 > 9 ||
    d2 < 0 ||
    d2 > 9 ||
    (after !== 32 && after !== 13 && after !== 10)
  )
    return fail(out, "malformed status line");
  const status = d0 * 100 + d1 * 10 + d2;
  let contentLength = -1,
    chunked = false,
    otherCoding = false,
    close = false,
    keepAlive = false;
  let encoded = false,
    setCookie = false;
  let end = -1;
  for (let line = i + 1; ; ) {
    if (line >= len) return NEED_MORE;
    const first = buf[line];
    if (first === 10 || first === 13) {
      if (first === 13 && line + 1 >= len) return NEED_MORE;
      if (first === 13 && buf[line + 1] !== 10) return fail(out, "CR without LF in the head");
      end = first === 10 ? line + 1 : line + 2;
      break;
    }
    let lf = line;
    let colon = -1;
    for (; lf < len; lf++) {
      const c = buf[lf];
      if (c === 10) break;
      if (c === 58 && colon < 0) colon = lf;
    }
    if (lf === len) return NEED_MORE;
    const lineEnd = buf[lf - 1] === 13 ? lf - 1 : lf;
    // The framing headers are found by a colon right after their 14, 17 or 10 name bytes; the two
    // the client acts on (Set-Cookie, Content-Encoding) are only flagged, their values read later.
    if (buf[line + 14] === 58 && line + 14 < lineEnd && matchLower(buf, line, CONTENT_LENGTH)) {
      const value = digits(buf, line + 15, lineEnd);
      if (value < 0) return fail(out, "invalid Content-Length");
      if (contentLength >= 0 && contentLength !== value) return fail(out, "conflicting Content-Length headers");
      contentLength = value;
    } else if (buf[line + 17] === 58 && line + 17 < lineEnd && matchLower(buf, line, TRANSFER_ENCODING)) {
      // Only a final "chunked" frames the body; any other coding runs until the close (RFC 9112 6.3).
      let e = lineEnd;
      while (e > line + 18 && (buf[e - 1] === 32 || buf[e - 1] === 9)) e--;
      chunked = e - (line + 18) >= 7 && matchLower(buf, e - 7, CHUNKED);
      otherCoding = !chunked;
    } else if (buf[line + 10] === 58 && line + 10 < lineEnd && matchLower(buf, line, CONNECTION)) {
      if (hasToken(buf, line + 11, lineEnd, CLOSE)) close = true;
      if (hasToken(buf, line + 11, lineEnd, KEEP_ALIVE)) keepAlive = true;
    } else if (buf[line + 10] === 58 && matchLower(buf, line, SET_COOKIE)) {
      setCookie = true;
    } else if (buf[line + 16] === 58 && line + 16 < lineEnd && matchLower(buf, line, CONTENT_ENCODING)) {
      encoded = true;
    } else if (first !== 32 && first !== 9 && (colon <= line || colon > lineEnd)) {
      // (obs-fold continuation lines, with a leading space, are skipped)
      return fail(out, "header line without a colon");
    }
    line = lf + 1;
  }
  out.status = status;
  out.minor = minor;
  out.contentLength = contentLength;
  out.chunked = chunked;
  out.otherCoding = otherCoding;
  out.close = close;
  out.keepAlive = keepAlive;
  out.encoded = encoded;
  out.setCookie = setCookie;
  return end;
}
