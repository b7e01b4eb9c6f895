// Incremental HTTP/1.x response parser over raw bytes. Only the framing headers (Content-Length,
// Transfer-Encoding, Connection) are read on the hot path, by byte comparison; everything else
// stays in the head bytes and is decoded only if the caller asks for headers.

/**
 * One parsed response. The head and the first body piece are kept as offsets into the socket's
 * chunk, because subarray() on a Buffer costs more than parsing the whole head.
 */
export class RawResponse {
  /** Body bytes received after dechunking, including any beyond the cap. */
  received = 0;
  overflow = false;
  keepAlive = true;
  first: Uint8Array | null = null;
  firstStart = 0;
  firstEnd = 0;
  /** Body pieces after the first (large or chunked bodies). */
  more: Uint8Array[] | null = null;
  constructor(
    readonly status: number,
    private readonly source: Uint8Array,
    private readonly headStart: number,
    private readonly headEnd: number,
  ) {}

  /** The head bytes: status line and headers, up to and including the empty line. */
  head(): Uint8Array {
    return this.source.subarray(this.headStart, this.headEnd);
  }

  /** The body as one byte array (empty when it was over the cap: check `overflow`). */
  body(): Uint8Array {
    const first = this.first;
    if (first === null) return new Uint8Array(0);
    if (this.more === null) return first.subarray(this.firstStart, this.firstEnd);
    const body = new Uint8Array(this.received);
    body.set(first.subarray(this.firstStart, this.firstEnd));
    let at = this.firstEnd - this.firstStart;
    for (const piece of this.more) {
      body.set(piece, at);
      at += piece.length;
    }
    return body;
  }
}

export const NEED_MORE = -1;
export const FAILED = -2;

const S_HEAD = 0, S_LENGTH = 1, S_CLOSE = 2, S_SIZE = 3, S_EXT = 4, S_DATA = 5, S_DATA_END = 6;
const S_TRAILER = 7, S_TRAILER_LINE = 8, S_DONE = 9;
const MAX_HEAD_BYTES = 64 * 1024;
const CONTENT_LENGTH = bytes("content-length");
const TRANSFER_ENCODING = bytes("transfer-encoding");
const CONNECTION = bytes("connection");
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

/** Does the value buf[start..end) contain the token `lower` (case-insensitive)? */
function hasToken(buf: Uint8Array, start: number, end: number, lower: Uint8Array): boolean {
  for (let i = start; i + lower.length <= end; i++) if (matchLower(buf, i, lower)) return true;
  return false;
}

export class ResponseParser {
  /** Why the last execute() returned FAILED. */
  error = "";
  private state = S_DONE;
  private noBody = false;
  private pendingHead: Uint8Array | null = null;
  private res: RawResponse | null = null;
  private remaining = 0;
  private chunkSize = 0;
  private sizeDigits = 0;

  constructor(private readonly maxBodyBytes: number) {}

  /** Prepares for the response to the request just written (HEAD responses have no body). */
  begin(noBody: boolean): void {
    this.state = S_HEAD;
    this.noBody = noBody;
    this.pendingHead = null;
    this.res = null;
  }

  /** The response once execute() returned an offset (or finishOnEof() returned true). */
  get response(): RawResponse | null {
    return this.state === S_DONE ? this.res : null;
  }

  /** True when the body is delimited by the server closing the connection. */
  get readsUntilClose(): boolean {
    return this.state === S_CLOSE;
  }

  /** The peer closed: a close-delimited body is now complete; anything else was cut short. */
  finishOnEof(): boolean {
    if (this.state !== S_CLOSE) return false;
    this.state = S_DONE;
    return true;
  }

  /** Feeds bytes; returns NEED_MORE, FAILED, or the offset just past the end of the response. */
  execute(chunk: Uint8Array): number {
    let pos = 0;
    const len = chunk.length;
    while (this.state === S_HEAD) {
      pos = this.readHead(chunk, pos);
      if (pos < 0) return pos;
    }
    const res = this.res as RawResponse;
    while (pos < len) {
      switch (this.state) {
        case S_LENGTH: {
          const n = Math.min(this.remaining, len - pos);
          this.take(res, chunk, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S_DONE;
          break;
        }
        case S_CLOSE:
          this.take(res, chunk, pos, len);
          return NEED_MORE;
        case S_SIZE: {
          const b = chunk[pos++] ?? 0;
          const digit = b >= 48 && b <= 57 ? b - 48 : (b | 0x20) >= 97 && (b | 0x20) <= 102 ? (b | 0x20) - 87 : -1;
          if (digit >= 0) {
            this.chunkSize = this.chunkSize * 16 + digit;
            if (++this.sizeDigits > 12) return this.fail("chunk size is too long");
          } else if (b === 10) {
            if (this.sizeDigits === 0) return this.fail("chunk size line without a size");
            this.remaining = this.chunkSize;
            this.state = this.chunkSize === 0 ? S_TRAILER : S_DATA;
            this.chunkSize = 0;
            this.sizeDigits = 0;
          } else if (b === 59 || b === 32 || b === 9) this.state = S_EXT;
          else if (b !== 13) return this.fail(`invalid byte ${b} in a chunk size`);
          break;
        }
        case S_EXT: {
          const lf = chunk.indexOf(10, pos);
          if (lf < 0) pos = len;
          else {
            pos = lf; // S_SIZE consumes the LF and ends the size line
            this.state = S_SIZE;
          }
          break;
        }
        case S_DATA: {
          const n = Math.min(this.remaining, len - pos);
          this.take(res, chunk, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S_DATA_END;
          break;
        }
        case S_DATA_END: {
          const b = chunk[pos++];
          if (b === 10) this.state = S_SIZE;
          else if (b !== 13) return this.fail("chunk data is not followed by CRLF");
          break;
        }
        case S_TRAILER: {
          const b = chunk[pos++];
          if (b === 10) this.state = S_DONE;
          else if (b !== 13) this.state = S_TRAILER_LINE;
          break;
        }
        case S_TRAILER_LINE: {
          const lf = chunk.indexOf(10, pos);
          pos = lf < 0 ? len : lf + 1;
          if (lf >= 0) this.state = S_TRAILER;
          break;
        }
      }
      if (this.state === S_DONE) return pos;
    }
    return this.state === S_DONE ? pos : NEED_MORE;
  }

  private fail(why: string): number {
    this.error = why;
    this.state = S_DONE;
    this.res = null;
    return FAILED;
  }

  private take(res: RawResponse, chunk: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    res.received += end - start;
    if (res.overflow) return;
    if (res.received > this.maxBodyBytes) {
      // Drain and count only: keeping a huge body would let one response exhaust the worker's memory.
      res.overflow = true;
      res.first = null;
      res.more = null;
    } else if (res.first === null) {
      res.first = chunk;
      res.firstStart = start;
      res.firstEnd = end;
    } else (res.more ??= []).push(chunk.subarray(start, end));
  }

  /** Parses the head; returns the offset in `chunk` after it, NEED_MORE or FAILED. */
  private readHead(chunk: Uint8Array, pos: number): number {
    let buf = chunk;
    let start = pos;
    let shift = 0; // buf index minus chunk index
    const pending = this.pendingHead;
    if (pending !== null) {
      buf = new Uint8Array(pending.length + chunk.length - pos);
      buf.set(pending);
      buf.set(chunk.subarray(pos), pending.length);
      start = 0;
      shift = pending.length - pos;
    }
    const end = this.parseHead(buf, start);
    if (end === NEED_MORE) {
      if (buf.length - start > MAX_HEAD_BYTES) return this.fail(`response head is larger than ${MAX_HEAD_BYTES} bytes`);
      this.pendingHead = start === 0 ? buf : buf.slice(start);
      return NEED_MORE;
    }
    this.pendingHead = null;
    return end === FAILED ? FAILED : end - shift;
  }

  /**
   * One pass over the head bytes (a JS loop beats many native indexOf calls on short lines);
   * returns the offset after the empty line, NEED_MORE when it is not all here, or FAILED.
   */
  private parseHead(buf: Uint8Array, start: number): number {
    const len = buf.length;
    for (let i = 0; i < HTTP_1.length && start + i < len; i++) {
      if (buf[start + i] !== HTTP_1[i]) return this.fail("response does not start with HTTP/1.");
    }
    let i = start;
    while (i < len && buf[i] !== 10) i++;
    if (i === len) return NEED_MORE;
    const minor = (buf[start + 7] ?? 0) - 48;
    const d0 = (buf[start + 9] ?? 0) - 48, d1 = (buf[start + 10] ?? 0) - 48, d2 = (buf[start + 11] ?? 0) - 48;
    const after = buf[start + 12];
    if (buf[start + 8] !== 32 || !(minor === 0 || minor === 1) || d0 < 1 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9 ||
      (after !== 32 && after !== 13 && after !== 10))
      return this.fail("malformed status line");
    const status = d0 * 100 + d1 * 10 + d2;
    let contentLength = -1, chunked = false, otherCoding = false, close = minor === 0, keepAlive = false;
    let end = -1;
    for (let line = i + 1; ; ) {
      if (line >= len) return NEED_MORE;
      const first = buf[line];
      if (first === 10 || (first === 13 && buf[line + 1] === 10)) {
        end = first === 10 ? line + 1 : line + 2;
        break;
      }
      if (first === 13 && line + 1 >= len) return NEED_MORE;
      let colon = -1;
      let lf = line;
      for (; lf < len; lf++) {
        const c = buf[lf];
        if (c === 10) break;
        if (c === 58 && colon < 0) colon = lf;
      }
      if (lf === len) return NEED_MORE;
      let lineEnd = buf[lf - 1] === 13 ? lf - 1 : lf;
      if (first !== 32 && first !== 9) {
        // obs-fold continuation lines (leading space) are skipped: no framing header uses them.
        if (colon <= line || colon > lineEnd) return this.fail("header line without a colon");
        let v = colon + 1;
        while (v < lineEnd && (buf[v] === 32 || buf[v] === 9)) v++;
        while (lineEnd > v && (buf[lineEnd - 1] === 32 || buf[lineEnd - 1] === 9)) lineEnd--;
        const n = colon - line;
        if (n === 14 && matchLower(buf, line, CONTENT_LENGTH)) {
          let value = 0;
          if (v === lineEnd) return this.fail("empty Content-Length");
          for (let k = v; k < lineEnd; k++) {
            const digit = (buf[k] ?? 0) - 48;
            if (digit < 0 || digit > 9 || k - v > 15) return this.fail("invalid Content-Length");
            value = value * 10 + digit;
          }
          if (contentLength >= 0 && contentLength !== value) return this.fail("conflicting Content-Length headers");
          contentLength = value;
        } else if (n === 17 && matchLower(buf, line, TRANSFER_ENCODING)) {
          // Only a final "chunked" frames the body; any other coding runs until the close (RFC 9112 6.3).
          chunked = lineEnd - v >= 7 && matchLower(buf, lineEnd - 7, CHUNKED);
          otherCoding = !chunked;
        } else if (n === 10 && matchLower(buf, line, CONNECTION)) {
          if (hasToken(buf, v, lineEnd, CLOSE)) close = true;
          if (hasToken(buf, v, lineEnd, KEEP_ALIVE)) keepAlive = true;
        }
      }
      line = lf + 1;
    }
    if (status >= 100 && status < 200 && status !== 101) return end; // interim (100, 103): the real one follows
    const res = new RawResponse(status, buf, start, end);
    res.keepAlive = !close || (minor === 0 && keepAlive);
    this.res = res;
    if (this.noBody || status === 204 || status === 304 || status === 101) this.state = S_DONE;
    else if (chunked) this.state = S_SIZE;
    else if (contentLength >= 0 && !otherCoding) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? S_DONE : S_LENGTH;
    } else {
      this.state = S_CLOSE;
      res.keepAlive = false;
    }
    if (status === 101) res.keepAlive = false; // we never asked to switch protocols
    this.chunkSize = 0;
    this.sizeDigits = 0;
    return end;
  }
}
