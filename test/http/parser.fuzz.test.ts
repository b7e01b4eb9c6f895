// Property-based fuzzing of the HTTP/1.x response parser: any bytes, in any chunks, end in a
// response, FAILED or NEED_MORE (never an exception); valid responses of every framing parse the
// same however the socket splits them; the body and head caps hold.
import { describe, expect, test } from "bun:test";
import { FAILED, NEED_MORE, ResponseParser, type RawResponse } from "../../src/http/parser.ts";
import { concat, cuts, fc, fuzz, FUZZ_TIMEOUT_MS, splitAt } from "../support/fuzz.ts";

const text = new TextEncoder();
const MAX_HEAD_BYTES = 64 * 1024; // src/http/parser.ts

type Outcome =
  | { kind: "response"; consumed: number; response: RawResponse; body: Uint8Array }
  | { kind: "failed"; error: string }
  | { kind: "incomplete"; fed: number };

/** Feeds the pieces until the parser answers; `eof` then tells it the peer closed. */
function parse(parser: ResponseParser, pieces: Uint8Array[], opts: { noBody?: boolean; eof?: boolean } = {}): Outcome {
  parser.begin(opts.noBody ?? false);
  let fed = 0;
  for (const piece of pieces) {
    const end = parser.execute(piece);
    if (end === FAILED) {
      expect(parser.response).toBeNull();
      expect(parser.error.length).toBeGreaterThan(0);
      return { kind: "failed", error: parser.error };
    }
    if (end !== NEED_MORE) {
      expect(end).toBeGreaterThanOrEqual(0);
      expect(end).toBeLessThanOrEqual(piece.length);
      const response = parser.response as RawResponse;
      return { kind: "response", consumed: fed + end, response, body: response.body() };
    }
    fed += piece.length;
  }
  if (opts.eof && parser.finishOnEof()) {
    const response = parser.response as RawResponse;
    return { kind: "response", consumed: fed, response, body: response.body() };
  }
  return { kind: "incomplete", fed };
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/);
const fieldValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
const FRAMING_NAMES = ["content-length", "transfer-encoding", "connection", "set-cookie", "content-encoding"];

interface Valid {
  bytes: Uint8Array;
  length: number; // the response's own bytes, without what follows it
  status: number;
  body: Uint8Array;
  keepAlive: boolean;
  closeDelimited: boolean;
  noBody: boolean;
}

const valid: fc.Arbitrary<Valid> = fc
  .record({
    minor: fc.constantFrom(0, 1),
    status: fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(101, 204, 304)),
    reason: fc.stringMatching(/^[A-Za-z ]{0,12}$/),
    interim: fc.array(fc.constantFrom(100, 103), { maxLength: 2 }),
    headers: fc.array(
      fc.tuple(
        token.filter((n) => !FRAMING_NAMES.includes(n.toLowerCase())),
        fieldValue,
      ),
      { maxLength: 5 },
    ),
    cookie: fc.boolean(),
    connection: fc.constantFrom("", "close", "keep-alive", "Keep-Alive, Upgrade"),
    framing: fc.constantFrom("length", "chunked", "close"),
    body: fc.uint8Array({ maxLength: 300 }),
    chunkCuts: cuts,
    upperHex: fc.boolean(),
    extensions: fc.boolean(),
    trailers: fc.array(fc.tuple(token, fieldValue), { maxLength: 2 }),
    lf: fc.boolean(), // bare LF line endings, which the parser accepts
    noBody: fc.boolean(),
    after: fc.uint8Array({ maxLength: 20 }), // the next pipelined response, or junk
  })
  .map((r): Valid => {
    const eol = r.lf ? "\n" : "\r\n";
    const lines = r.interim.map((code) => `HTTP/1.1 ${code} Interim${eol}${eol}`);
    lines.push(`HTTP/1.${r.minor} ${r.status} ${r.reason}${eol}`);
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}${eol}`);
    if (r.cookie) lines.push(`Set-Cookie: a=b; Path=/${eol}`);
    if (r.connection) lines.push(`Connection: ${r.connection}${eol}`);
    const bodyless = r.noBody || r.status === 204 || r.status === 304 || r.status === 101;
    let body: Uint8Array = bodyless ? new Uint8Array(0) : r.body;
    let wireBody: Uint8Array = body;
    if (r.framing === "length") lines.push(`Content-Length: ${r.body.length}${eol}`);
    if (r.framing === "chunked") {
      lines.push(`Transfer-Encoding: chunked${eol}`);
      if (!bodyless) {
        const chunks = splitAt(body, r.chunkCuts).map((c) => {
          const size = c.length.toString(16);
          return concat([text.encode(`${r.upperHex ? size.toUpperCase() : size}${r.extensions ? ";x=1" : ""}${eol}`), c, text.encode(eol)]);
        });
        const trailers = r.trailers.map(([n, v]) => `${n}: ${v}${eol}`).join("");
        wireBody = concat([...chunks, text.encode(`0${eol}${trailers}${eol}`)]);
      }
    }
    const closeDelimited = r.framing === "close" && !bodyless;
    if (r.framing === "close" && bodyless) body = new Uint8Array(0);
    const connection = r.connection.toLowerCase();
    const keepAlive = closeDelimited
      ? false
      : r.minor === 0
        ? connection.includes("keep-alive") && !connection.includes("close")
        : !connection.includes("close") && r.status !== 101;
    const own = concat([text.encode(lines.join("") + eol), wireBody]);
    return {
      bytes: closeDelimited ? own : concat([own, r.after]),
      length: own.length,
      status: r.status,
      body,
      keepAlive,
      closeDelimited,
      noBody: r.noBody,
    };
  });

describe("ResponseParser under fuzzing", () => {
  test(
    "any bytes, in any chunks: a response, FAILED or NEED_MORE, never an exception",
    () => {
      const junk = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        // A valid status line first, so the headers and body framings get junk too.
        fc
          .tuple(
            fc.constantFrom(
              "HTTP/1.1 200 OK\r\n",
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
              "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n",
            ),
            fc.uint8Array({ maxLength: 300 }),
          )
          .map(([head, rest]) => concat([text.encode(head), rest])),
        fc
          .array(
            fc.constantFrom(
              "HTTP/1.1 ",
              "200",
              " OK",
              "\r\n",
              "\n",
              "\r",
              ":",
              "Content-Length: ",
              "Transfer-Encoding: chunked",
              "1f",
              "0",
              ";",
              "x",
              " ",
              "\t",
            ),
            { maxLength: 30 },
          )
          .map((parts) => text.encode(parts.join(""))),
      );
      fuzz(
        fc.property(junk, cuts, fc.boolean(), fc.integer({ min: 0, max: 64 }), (bytes, at, eof, cap) => {
          const outcome = parse(new ResponseParser(cap), splitAt(bytes, at), { eof });
          if (outcome.kind === "response") {
            expect(outcome.consumed).toBeLessThanOrEqual(bytes.length);
            expect(outcome.body.length).toBeLessThanOrEqual(cap);
            if (outcome.response.overflow) expect(outcome.body.length).toBe(0);
          }
        }),
        15_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "valid responses (every framing, interim 1xx, pipelined bytes after) parse the same in any chunks",
    () => {
      fuzz(
        fc.property(valid, cuts, (r, at) => {
          const outcome = parse(new ResponseParser(1 << 20), splitAt(r.bytes, at), { noBody: r.noBody, eof: r.closeDelimited });
          if (outcome.kind !== "response") throw new Error(`expected a response, got ${JSON.stringify(outcome)}`);
          expect(outcome.consumed).toBe(r.length);
          expect(outcome.response.status).toBe(r.status);
          expect(outcome.body).toEqual(r.body);
          expect(outcome.response.received).toBe(r.body.length);
          expect(outcome.response.keepAlive).toBe(r.keepAlive);
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a body over the cap is counted but not kept",
    () => {
      fuzz(
        fc.property(valid, fc.integer({ min: 0, max: 300 }), cuts, (r, cap, at) => {
          const outcome = parse(new ResponseParser(cap), splitAt(r.bytes, at), { noBody: r.noBody, eof: r.closeDelimited });
          if (outcome.kind !== "response") throw new Error(`expected a response, got ${JSON.stringify(outcome)}`);
          expect(outcome.response.received).toBe(r.body.length);
          expect(outcome.response.overflow).toBe(r.body.length > cap);
          expect(outcome.body).toEqual(r.body.length > cap ? new Uint8Array(0) : r.body);
        }),
        5_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a parser that failed on junk parses the next valid response after begin()",
    () => {
      fuzz(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), valid, cuts, (junk, r, at) => {
          const parser = new ResponseParser(1 << 20);
          parse(parser, splitAt(junk, at));
          const outcome = parse(parser, splitAt(r.bytes, at), { noBody: r.noBody, eof: r.closeDelimited });
          expect(outcome.kind === "response" && outcome.response.status).toBe(r.status);
          expect(outcome.kind === "response" && outcome.body).toEqual(r.body);
        }),
        5_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a head that never ends fails once it passes 64 KiB, whatever the chunking",
    () => {
      fuzz(
        fc.property(
          fc.array(fc.tuple(token, fieldValue), { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 1, max: 9000 }),
          (headers, size) => {
            const lines = headers.map(([n, v]) => `${n}: ${v}\r\n`).join("");
            const head = text.encode(`HTTP/1.1 200 OK\r\n${lines.repeat(Math.ceil((MAX_HEAD_BYTES + 1) / lines.length))}`);
            const pieces = [];
            for (let i = 0; i < head.length; i += size) pieces.push(head.subarray(i, i + size));
            const outcome = parse(new ResponseParser(1 << 20), pieces);
            expect(outcome.kind).toBe("failed");
            expect(outcome.kind === "failed" && outcome.error).toBe(`response head is larger than ${MAX_HEAD_BYTES} bytes`);
          },
        ),
        300,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
