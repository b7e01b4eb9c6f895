// What a request resolves with: the parsed response itself (RawResponse's bytes and framing facts),
// finished by the call it answers. The body is kept as received chunks and headers as head bytes;
// both are decoded only when asked, so a load loop that ignores them pays nothing for them.
// One object with the parser's response, not a second one around it: at 1,000 users and more, each
// object a request allocates is marked again by every eden collection it lives through (bench/NOTES.md).
import type { Recorder } from "../stats/recorder.ts";
import { pythonRepr } from "../text/python-repr.ts";
import { decodeText } from "./charset.ts";
import { HttpError, statusFailureText } from "./errors.ts";
import { RawResponse } from "./raw-response.ts";

/** What a response reads of the call it answers (call.ts's Call; named here, not imported: no cycle). */
interface AnsweredCall {
  readonly method: string;
  readonly task: string | undefined; // the task the call started in (HttpClientOptions.user)
  readonly options: { readonly name?: string };
  readonly first: { readonly target: string };
  readonly hop: { readonly href: string };
  readonly client: { readonly recorder: Recorder; readonly maxBodyBytes: number };
}

const latin1 = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);

export class HttpResponse extends RawResponse {
  // Set by finish(), once the response is the call's answer (what to record, and under which name).
  private call: AnsweredCall | undefined = undefined;
  private elapsed = 0;
  private failed: HttpError | undefined = undefined;
  private headerCache: Record<string, string> | undefined = undefined;
  private bytesCache: Uint8Array | undefined = undefined;
  private recorded = false;

  /** @internal A call that got no response: status 0 and `error`. */
  static without(error: HttpError): HttpResponse {
    const response = new HttpResponse(0, EMPTY, 0, 0);
    response.failed = error;
    return response;
  }

  /** @internal The call's answer: made by HttpClient, which records it at once or (catchResponse) leaves it to the caller. */
  finish(call: AnsweredCall, elapsedMs: number): void {
    this.call = call;
    this.elapsed = elapsedMs;
  }

  /** True for a status below 400 without a network error (requests' `Response.ok`). */
  get ok(): boolean {
    return this.failed === undefined && this.status > 0 && this.status < 400;
  }
  /** The final URL, after redirects. */
  get url(): string {
    return (this.call as AnsweredCall).hop.href;
  }
  /** Milliseconds from the start of the request to its body fully read, redirects included. */
  get elapsedMs(): number {
    return this.elapsed;
  }
  /**
   * Body bytes after dechunking and decompression (Locust's len(response.content)). A body over
   * maxBodyBytes is not decompressed, nor kept: then it counts the bytes received.
   */
  get contentLength(): number {
    return this.received;
  }
  /** Why the request failed on the network (status 0), or a too-many-redirects failure. */
  get error(): HttpError | undefined {
    return this.failed;
  }

  /**
   * Response headers with lower-case names; repeated headers are joined with ", " (Set-Cookie too,
   * as in requests; the cookie jar reads each Set-Cookie on its own).
   */
  get headers(): Record<string, string> {
    if (this.headerCache === undefined) this.headerCache = this.status === 0 ? {} : decodeHeaders(this.head());
    return this.headerCache;
  }

  /** "2" for a response over HTTP/2, else the HTTP/1.x version the server answered with ("1.1", "1.0"); "" without a response. */
  get httpVersion(): string {
    if (this.status === 0) return "";
    const head = this.head();
    return head[5] === 50 ? "2" : latin1.decode(head.subarray(5, 8));
  }

  /** The reason phrase of the status line ("Not Found"), as the server sent it. */
  get reason(): string {
    if (this.status === 0) return "";
    const head = this.head();
    const lf = head.indexOf(10);
    return latin1.decode(head.subarray(Math.min(13, lf), lf)).trim();
  }

  /** The body bytes, decompressed. Throws EBODYTOOLARGE when the body was larger than maxBodyBytes. */
  bytes(): Uint8Array {
    if (this.bytesCache !== undefined) return this.bytesCache;
    if (this.status === 0) return EMPTY;
    if (this.overflow) {
      const max = (this.call as AnsweredCall).client.maxBodyBytes;
      const size = this.decodedOverflow
        ? `${this.received} bytes compressed and more than maxBodyBytes (${max}) decompressed`
        : `${this.received} bytes, larger than maxBodyBytes (${max})`;
      throw new HttpError(
        "EBODYTOOLARGE",
        `the response body from ${this.url} was ${size}; ` +
          `it was counted but not kept. To read such bodies raise maxBodyBytes: http: { maxBodyBytes } on the user class (ctx.client), or new HttpClient({ maxBodyBytes })`,
      );
    }
    this.bytesCache = this.body();
    return this.bytesCache;
  }

  /** The body as text in the Content-Type's charset (UTF-8 when it names none). */
  text(): string {
    const bytes = this.bytes();
    return decodeText(bytes, bytes.length === 0 ? undefined : this.headers["content-type"]);
  }

  /** The body parsed as JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }

  /** With catchResponse: record this request as a success, whatever its status. */
  success(): void {
    if (this.recorded) return;
    this.recorded = true;
    const call = this.call as AnsweredCall;
    call.client.recorder.success(call.method, nameOf(call), this.elapsed, this.received, call.task);
  }

  /** With catchResponse: record this request as a failure; a string becomes CatchResponseError like Locust's. */
  failure(reason: string | Error): void {
    this.recordFailure(typeof reason === "string" ? `CatchResponseError(${pythonRepr(reason)})` : reason);
  }

  private recordFailure(error: unknown): void {
    if (this.recorded) return;
    this.recorded = true;
    const call = this.call as AnsweredCall;
    call.client.recorder.failure(call.method, nameOf(call), this.elapsed, error, this.received, call.task);
  }

  /** @internal Locust's rule: network errors and status >= 400 are failures, the rest successes. */
  recordByDefault(): void {
    if (this.recorded) return;
    if (this.failed !== undefined) this.recordFailure(this.failed);
    else if (this.status >= 400) this.recordFailure(statusFailureText(this.status, this.reason, nameOf(this.call as AnsweredCall)));
    else this.success();
  }
}

/** Locust's name for a request: the one given, else the path and query of its first URL. */
function nameOf(call: AnsweredCall): string {
  return call.options.name ?? call.first.target;
}

/** Decodes a response head into lower-case header names; repeated headers are joined with ", ". */
export function decodeHeaders(head: Uint8Array): Record<string, string> {
  const headers: Record<string, string> = {};
  const lines = latin1.decode(head).split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const seen = headers[name];
    headers[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return headers;
}

/** The values of every header `lowerName` in a response head, in order and unjoined (Set-Cookie). */
export function headerValues(head: Uint8Array, lowerName: string): string[] {
  // Scans bytes and decodes only the values asked for: this runs on every response that sets a cookie.
  const values: string[] = [];
  const n = lowerName.length;
  for (let line = head.indexOf(10) + 1; line > 0 && line < head.length; ) {
    const lf = head.indexOf(10, line);
    const end = lf < 0 ? head.length : lf;
    if (head[line + n] === 58 && line + n < end && sameName(head, line, lowerName)) {
      values.push(latin1.decode(head.subarray(line + n + 1, end)).trim());
    }
    line = end + 1;
  }
  return values;
}

function sameName(head: Uint8Array, at: number, lowerName: string): boolean {
  for (let i = 0; i < lowerName.length; i++) if (((head[at + i] ?? 0) | 0x20) !== lowerName.charCodeAt(i)) return false;
  return true;
}
