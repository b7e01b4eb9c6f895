import { describe, expect, test } from "bun:test";
import { FAILED, NEED_MORE, ResponseParser } from "../../src/http/parser.ts";
import type { RawResponse } from "../../src/http/raw-response.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** Feeds `text` in pieces of `size` bytes; returns the response, or the parser error. */
function parse(text: string, size = Infinity, options: { noBody?: boolean; max?: number } = {}) {
  const parser = new ResponseParser(options.max ?? 1 << 20);
  parser.begin(options.noBody ?? false);
  const bytes = encode(text);
  for (let at = 0; at < bytes.length; at += size) {
    const piece = bytes.slice(at, Math.min(bytes.length, at + size));
    const end = parser.execute(piece);
    if (end === FAILED) return { error: parser.error };
    if (end !== NEED_MORE) return { response: parser.response as RawResponse, rest: piece.length - end, body: body(parser) };
  }
  return parser.finishOnEof() ? { response: parser.response as RawResponse, rest: 0, body: body(parser) } : { incomplete: true };
}

function body(parser: ResponseParser): string {
  const response = parser.response as RawResponse;
  return new TextDecoder().decode(response.body());
}

const CHUNKED = "HTTP/1.1 200 OK\r\ntransfer-ENCODING: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n";

describe("ResponseParser", () => {
  for (const size of [1, 2, 3, 7, Infinity]) {
    test(`a chunked body with extensions and trailers parses the same in ${size}-byte pieces`, () => {
      expect(parse(CHUNKED, size)).toMatchObject({
        body: "hello, world!!!",
        rest: 0,
        response: { status: 200, received: 15, keepAlive: true },
      });
    });
    test(`a Content-Length body parses the same in ${size}-byte pieces`, () => {
      const text = "HTTP/1.1 201 Created\r\nContent-Length:  5 \r\nX: y\r\n\r\nabcde";
      expect(parse(text, size)).toMatchObject({ body: "abcde", rest: 0, response: { status: 201, received: 5 } });
    });
  }

  test("interim 100 and 103 responses are skipped", () => {
    const text =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    expect(parse(text)).toMatchObject({ body: "ok", response: { status: 200 } });
  });

  test("a response without length is read until the close and not kept alive", () => {
    expect(parse("HTTP/1.1 200 OK\r\n\r\nto the end", 4)).toMatchObject({ body: "to the end", response: { keepAlive: false } });
  });

  test("HTTP/1.0 closes unless it asks for keep-alive; Connection: close is honoured", () => {
    expect(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").response?.keepAlive).toBe(false);
    expect(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").response?.keepAlive).toBe(true);
    expect(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").response?.keepAlive).toBe(false);
  });

  test("HEAD, 204 and 304 responses end at the head even with a Content-Length", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", Infinity, { noBody: true })).toMatchObject({ body: "", rest: 0 });
    expect(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")).toMatchObject({ body: "", rest: 0 });
    expect(parse("HTTP/1.1 204 No Content\r\n\r\n")).toMatchObject({ body: "", rest: 0 });
  });

  test("bytes after the response are reported, not swallowed", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")).toMatchObject({ body: "ok", rest: 5 });
  });

  test("a body over the cap is counted but not kept", () => {
    const result = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", 3, { max: 4 });
    expect(result.response).toMatchObject({ received: 10, overflow: true, first: null, more: null });
  });

  test("bare LF line endings are accepted", () => {
    expect(parse("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")).toMatchObject({ body: "ok" });
  });

  for (const [why, text] of [
    ["not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n"],
    ["a bad status", "HTTP/1.1 2x0 OK\r\n\r\n"],
    ["a header without colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n"],
    ["a bad Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n"],
    ["conflicting Content-Lengths", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
    ["chunk data without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc"],
  ] as const) {
    test(`${why} is rejected with a reason`, () => {
      expect(parse(text).error).toBeString();
    });
  }

  test("Set-Cookie and Content-Encoding are flagged, in any case, without disturbing Connection", () => {
    const flagged = parse(
      "HTTP/1.1 200 OK\r\nSET-COOKIE: a=1\r\nContent-encoding: gzip\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      3,
    );
    expect(flagged.response).toMatchObject({ setCookie: true, encoded: true, keepAlive: false });
    expect(parse("HTTP/1.1 200 OK\r\nSet-Cookiex: a\r\nContent-Encodings: x\r\nContent-Length: 0\r\n\r\n").response).toMatchObject({
      setCookie: false,
      encoded: false,
    });
  });

  test("a head larger than 64 KiB is rejected", () => {
    expect(parse(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}\r\n`, 4096).error).toContain("larger than");
  });
});
