// Incremental HTTP/1.x response parser: the head (head.ts), then the body by Content-Length,
// chunks or the close, fed chunk by chunk as the socket delivers them.
import { FAILED, NEED_MORE, scanHead, type HeadInfo } from "./head.ts";
import { HeadCarry, MAX_HEAD_BYTES } from "./head-carry.ts";
import type { RawResponse } from "./raw-response.ts";
import { HttpResponse } from "./response.ts";

export type { RawResponse }; // what execute() hands back, for the parser's own tests

export { FAILED, NEED_MORE };

// Parser states: the head, then one of the body framings, then done.
const S_HEAD = 0,
  S_LENGTH = 1,
  S_CLOSE = 2,
  S_SIZE = 3,
  S_EXT = 4,
  S_DATA = 5,
  S_DATA_END = 6;
const S_TRAILER = 7,
  S_TRAILER_LINE = 8,
  S_DONE = 9;

// One for all parsers: scanHead fills it and readHead reads it at once, so it stays in the cache,
// where one per connection was one more memory load per response at 1,000 users.
const head: HeadInfo = {
  status: 0,
  minor: 1,
  contentLength: -1,
  chunked: false,
  otherCoding: false,
  close: false,
  keepAlive: false,
  encoded: false,
  setCookie: false,
  error: "",
};

// A response that comes whole in one chunk is handed over from here (read at once by the caller),
// never stored on its parser: at 1,000 users an old object written with a new one is revisited at
// every eden collection. `made` is readHead's response, taken by execute at once.
let completed: RawResponse | null = null;
let completedBy: ResponseParser | null = null;
let made: RawResponse | null = null;

export class ResponseParser {
  /** Why the last execute() returned FAILED. */
  error = "";
  private state = S_DONE;
  private noBody = false;
  private readonly carry = new HeadCarry(); // head bytes so far when a head spans chunks (rare: `carrying` says so)
  private carrying = false;
  private res: RawResponse | null = null;
  private remaining = 0;
  private chunkSize = 0;
  private sizeDigits = 0;

  constructor(private readonly maxBodyBytes: number) {}

  /** Prepares for the response to the request just written (HEAD responses have no body). */
  begin(noBody: boolean): void {
    this.state = S_HEAD;
    this.noBody = noBody;
    if (this.carrying) this.dropCarry();
    this.res = null;
  }

  /** Forgets the response handed over (its bytes are the caller's now). */
  release(): void {
    this.res = null;
    if (completedBy === this) completed = completedBy = null;
  }

  /** The response once execute() returned an offset (or finishOnEof() returned true). */
  get response(): RawResponse | null {
    if (this.state !== S_DONE) return null;
    return this.res ?? (completedBy === this ? completed : null);
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
    let res = this.res;
    while (this.state === S_HEAD) {
      pos = this.readHead(chunk, pos);
      if (pos < 0) return pos;
      res = made;
    }
    const end = this.body(res as RawResponse, chunk, pos);
    if (end === NEED_MORE) this.res = res;
    else if (end >= 0) {
      this.res = null;
      completed = res;
      completedBy = this;
    }
    return end;
  }

  private body(res: RawResponse, chunk: Uint8Array, at: number): number {
    let pos = at;
    const len = chunk.length;
    while (pos < len) {
      switch (this.state) {
        case S_LENGTH: {
          const n = Math.min(this.remaining, len - pos);
          res.take(this.maxBodyBytes, chunk, pos, pos + n);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S_DONE;
          break;
        }
        case S_CLOSE:
          res.take(this.maxBodyBytes, chunk, pos, len);
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
          res.take(this.maxBodyBytes, chunk, pos, pos + n);
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

  private dropCarry(): void {
    this.carrying = false;
    this.carry.clear();
  }

  private fail(why: string): number {
    this.error = why;
    this.state = S_DONE;
    this.res = null;
    return FAILED;
  }

  /** Appends bytes of an unfinished head, up to the cap. */
  private keepHead(bytes: Uint8Array): number {
    this.carrying = true;
    return this.carry.keep(bytes) ? NEED_MORE : this.fail(`response head is larger than ${MAX_HEAD_BYTES} bytes`);
  }

  /** Parses the head; returns the offset in `chunk` after it, NEED_MORE or FAILED. */
  private readHead(chunk: Uint8Array, pos: number): number {
    let buf = chunk;
    let start = pos;
    let shift = 0; // buf index minus chunk index
    if (this.carrying) {
      const carry = this.carry;
      if (carry.waitsForBlankLine(chunk, pos)) return this.keepHead(chunk.subarray(pos));
      buf = carry.joined(chunk, pos);
      start = 0;
      shift = carry.length - pos;
    }
    const end = scanHead(buf, start, head);
    if (end === FAILED) return this.fail(head.error);
    if (this.carrying) this.dropCarry();
    if (end === NEED_MORE) return this.keepHead(buf.subarray(start));
    const status = head.status;
    if (status >= 100 && status < 200 && status !== 101) return end - shift; // interim (100, 103): the real one follows
    const res: RawResponse = new HttpResponse(status, buf, start, end); // the object the task gets, finished by the call (response.ts)
    made = res;
    // HTTP/1.0 closes unless it asked for keep-alive; 101 would switch protocols, which we never ask for.
    res.keepAlive = head.minor === 0 ? head.keepAlive && !head.close : !head.close && status !== 101;
    res.encoded = head.encoded;
    res.setCookie = head.setCookie;
    if (this.noBody || status === 204 || status === 304 || status === 101) this.state = S_DONE;
    else if (head.chunked) this.state = S_SIZE;
    else if (head.contentLength >= 0 && !head.otherCoding) {
      this.remaining = head.contentLength;
      this.state = head.contentLength === 0 ? S_DONE : S_LENGTH;
    } else {
      this.state = S_CLOSE;
      res.keepAlive = false;
    }
    this.chunkSize = 0;
    this.sizeDigits = 0;
    return end - shift;
  }
}
