// What the parser hands the client: the status, framing facts, and the head and body bytes,
// decoded only when someone asks. The parser makes each one an HttpResponse (response.ts) at once,
// so a request allocates one response object; these members are the client's, not the task's API.

/**
 * One parsed response. The head and the first body piece are kept as offsets into the socket's
 * chunk, because subarray() on a Buffer costs more than parsing the whole head.
 */
export class RawResponse {
  /** Body bytes received after dechunking, including any beyond the cap. */
  received = 0;
  overflow = false;
  /** The body was decompressed (Content-Encoding) and the decoded bytes were over the cap. */
  decodedOverflow = false;
  keepAlive = true;
  /** The head has a Content-Encoding header. */
  encoded = false;
  /** The head has at least one Set-Cookie header. */
  setCookie = false;
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

  /** @internal The parser's: body bytes chunk[start..end) received; kept up to `maxBodyBytes`, then only counted. */
  take(maxBodyBytes: number, chunk: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    this.received += end - start;
    if (this.overflow) return;
    if (this.received > maxBodyBytes) {
      // Drain and count only: keeping a huge body would let one response exhaust the worker's memory.
      this.overflow = true;
      this.first = null;
      this.more = null;
    } else if (this.first === null) {
      this.first = chunk;
      this.firstStart = start;
      this.firstEnd = end;
    } else {
      this.more ??= [];
      this.more.push(chunk.subarray(start, end));
    }
  }

  /** Replaces the body with its decoded bytes, which then also count as what was received. */
  setBody(decoded: Uint8Array): void {
    this.first = decoded;
    this.firstStart = 0;
    this.firstEnd = decoded.length;
    this.more = null;
    this.received = decoded.length;
  }

  /** The decoded body was over the cap: drop it; `received` stays the encoded byte count. */
  dropDecoded(): void {
    this.overflow = true;
    this.decodedOverflow = true;
    this.first = null;
    this.more = null;
  }
}
