// What a request resolves with. The body is kept as received chunks and headers as head bytes;
// both are decoded only when asked, so a load loop that ignores them pays nothing for them.
import type { Recorder } from "../stats/recorder.ts";
import { pythonRepr } from "../text/python-repr.ts";
import { decodeText } from "./charset.ts";
import { HttpError, statusFailureText } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";

const latin1 = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);

export class HttpResponse {
  /** HTTP status; 0 when the request failed on the network (see `error`). */
  readonly status: number;
  /** True for a status below 400 without a network error (requests' `Response.ok`). */
  readonly ok: boolean;
  /** The final URL, after redirects. */
  readonly url: string;
  /** Milliseconds from the start of the request to its body fully read, redirects included. */
  readonly elapsedMs: number;
  /**
   * Body bytes after dechunking and decompression (Locust's len(response.content)). A body over
   * maxBodyBytes is not decompressed, nor kept: then it counts the bytes received.
   */
  readonly contentLength: number;
  /** Why the request failed on the network (status 0), or a too-many-redirects failure. */
  readonly error: HttpError | undefined;
  private readonly raw: RawResponse | undefined;
  private headerCache: Record<string, string> | undefined;
  private body: Uint8Array | undefined;
  private recorded = false;

  /** @internal Made by HttpClient, which records it at once or (catchResponse) leaves it to the caller. */
  constructor(
    raw: RawResponse | undefined,
    error: HttpError | undefined,
    url: string,
    elapsedMs: number,
    private readonly method: string,
    private readonly name: string,
    private readonly recorder: Recorder,
    private readonly maxBodyBytes: number,
    private readonly task: string | undefined, // the task the call started in (HttpClientOptions.user)
  ) {
    this.raw = raw;
    this.error = error;
    this.status = raw === undefined ? 0 : raw.status;
    this.ok = error === undefined && this.status > 0 && this.status < 400;
    this.url = url;
    this.elapsedMs = elapsedMs;
    this.contentLength = raw === undefined ? 0 : raw.received;
  }

  /**
   * Response headers with lower-case names; repeated headers are joined with ", " (Set-Cookie too,
   * as in requests; the cookie jar reads each Set-Cookie on its own).
   */
  get headers(): Record<string, string> {
    if (this.headerCache === undefined) this.headerCache = this.raw === undefined ? {} : decodeHeaders(this.raw.head());
    return this.headerCache;
  }

  /** "2" for a response over HTTP/2, else the HTTP/1.x version the server answered with ("1.1", "1.0"); "" without a response. */
  get httpVersion(): string {
    if (this.raw === undefined) return "";
    const head = this.raw.head();
    return head[5] === 50 ? "2" : latin1.decode(head.subarray(5, 8));
  }

  /** The reason phrase of the status line ("Not Found"), as the server sent it. */
  get reason(): string {
    if (this.raw === undefined) return "";
    const head = this.raw.head();
    const lf = head.indexOf(10);
    return latin1.decode(head.subarray(Math.min(13, lf), lf)).trim();
  }

  /** The body bytes, decompressed. Throws EBODYTOOLARGE when the body was larger than maxBodyBytes. */
  bytes(): Uint8Array {
    if (this.body !== undefined) return this.body;
    const raw = this.raw;
    if (raw === undefined) return EMPTY;
    if (raw.overflow) {
      const size = raw.decodedOverflow
        ? `${raw.received} bytes compressed and more than maxBodyBytes (${this.maxBodyBytes}) decompressed`
        : `${raw.received} bytes, larger than maxBodyBytes (${this.maxBodyBytes})`;
      throw new HttpError(
        "EBODYTOOLARGE",
        `the response body from ${this.url} was ${size}; ` +
          `it was counted but not kept. Raise it with new HttpClient({ maxBodyBytes }) to read such bodies`,
      );
    }
    this.body = raw.body();
    return this.body;
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
    this.recorder.success(this.method, this.name, this.elapsedMs, this.contentLength, this.task);
  }

  /** With catchResponse: record this request as a failure; a string becomes CatchResponseError like Locust's. */
  failure(reason: string | Error): void {
    this.recordFailure(typeof reason === "string" ? `CatchResponseError(${pythonRepr(reason)})` : reason);
  }

  private recordFailure(error: unknown): void {
    if (this.recorded) return;
    this.recorded = true;
    this.recorder.failure(this.method, this.name, this.elapsedMs, error, this.contentLength, this.task);
  }

  /** @internal Locust's rule: network errors and status >= 400 are failures, the rest successes. */
  recordByDefault(): void {
    if (this.recorded) return;
    if (this.error !== undefined) this.recordFailure(this.error);
    else if (this.status >= 400) this.recordFailure(statusFailureText(this.status, this.reason, this.name));
    else this.success();
  }
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
