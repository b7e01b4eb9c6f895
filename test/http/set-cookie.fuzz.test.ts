// Property-based fuzzing of the Set-Cookie parser (RFC 6265 5.2) and its cookie-date algorithm
// (5.1.1): any header gives a well-formed cookie or none, never an exception; generated cookies
// with their attributes in any order, case and spacing read back as RFC 6265 says (for a repeated
// attribute the last valid one counts); dates in the three HTTP formats read back exactly.
import { describe, expect, test } from "bun:test";
import { MAX_COOKIE_BYTES, parseCookieDate, parseSetCookie, type SetCookie } from "../../src/http/set-cookie.ts";
import { fc, fuzz, FUZZ_TIMEOUT_MS } from "../support/fuzz.ts";

const NOW = 1_700_000_000;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");
const time = (d: Date) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
/** The three date formats HTTP servers send (RFC 9110 5.6.7). */
const formats = {
  imf: (d: Date) => d.toUTCString(), // Sun, 06 Nov 1994 08:49:37 GMT
  rfc850: (d: Date) =>
    `${DAYS[d.getUTCDay()]}day, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${time(d)} GMT`,
  asctime: (d: Date) =>
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${time(d)} ${d.getUTCFullYear()}`,
};
// 1601 is RFC 6265's earliest year; two-digit years (RFC 850) only reach 1970..2069.
const date = (from: number, to: number) =>
  fc.date({ min: new Date(Date.UTC(from, 0, 1)), max: new Date(Date.UTC(to, 11, 31, 23, 59, 59)), noInvalidDate: true });

function wellFormed(cookie: SetCookie | undefined): void {
  if (cookie === undefined) return;
  expect(cookie.name.length).toBeGreaterThan(0);
  expect(cookie.name).toBe(cookie.name.trim());
  expect(cookie.value).toBe(cookie.value.trim());
  expect(CONTROL.test(cookie.name + cookie.value)).toBe(false);
  expect(cookie.name.length + cookie.value.length).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
  if (cookie.domain !== undefined) {
    expect(cookie.domain).toBe(cookie.domain.toLowerCase());
    expect(cookie.domain.startsWith(".") || cookie.domain === "").toBe(false);
  }
  if (cookie.path !== undefined) expect(cookie.path.startsWith("/")).toBe(true);
  expect(Number.isNaN(cookie.expires)).toBe(false);
}

describe("parseSetCookie under fuzzing", () => {
  test(
    "any header: a well-formed cookie or none, never an exception",
    () => {
      const piece = fc.oneof(
        fc.string({ unit: "binary", maxLength: 12 }),
        fc.constantFrom(
          ";",
          "=",
          " ",
          "\t",
          "\x01",
          "\x7f",
          "a",
          "b=c",
          "Max-Age",
          "max-age=",
          "-",
          "1",
          "99999999999999999999",
          "Expires=",
          "Wed, 21 Oct 2015 07:28:00 GMT",
          "Domain=",
          ".",
          "Path=",
          "/",
          "Secure",
          "x".repeat(1030),
        ),
      );
      fuzz(
        fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => wellFormed(parseSetCookie(pieces.join(""), NOW))),
        20_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  type Attribute =
    | { kind: "max-age"; raw: string; seconds?: number }
    | { kind: "expires"; raw: string; at?: number }
    | { kind: "domain"; raw: string }
    | { kind: "path"; raw: string }
    | { kind: "flag"; raw: string; secure: boolean };

  const attribute: fc.Arbitrary<Attribute> = fc.oneof(
    fc.integer({ min: -100_000, max: 1_000_000_000 }).map((seconds): Attribute => ({ kind: "max-age", raw: String(seconds), seconds })),
    fc.constantFrom("", "1.5", "+3", "abc", "1e3").map((raw): Attribute => ({ kind: "max-age", raw })), // ignored
    fc
      .tuple(date(1601, 9999), fc.constantFrom("imf", "asctime") as fc.Arbitrary<keyof typeof formats>)
      .map(([d, f]): Attribute => ({ kind: "expires", raw: formats[f](d), at: Math.floor(d.getTime() / 1000) })),
    fc
      .constantFrom("", "soon", "Wed, 31 Feb 2015 07:28:00 GMT", "Thu, 01 Jan 1600 00:00:00 GMT")
      .map((raw): Attribute => ({ kind: "expires", raw })), // ignored
    fc.tuple(fc.boolean(), fc.domain()).map(([dot, d]): Attribute => ({ kind: "domain", raw: `${dot ? "." : ""}${d.toUpperCase()}` })),
    fc
      .webPath()
      .filter((p) => !p.includes(";"))
      .map((p): Attribute => ({ kind: "path", raw: p })), // ";" ends an attribute
    fc
      .constantFrom("Secure", "HttpOnly", "SameSite=Lax", "Partitioned")
      .map((raw): Attribute => ({ kind: "flag", raw, secure: raw === "Secure" })),
  );
  const NAMES: Record<Attribute["kind"], string> = { "max-age": "Max-Age", expires: "Expires", domain: "Domain", path: "Path", flag: "" };
  const casing = fc.constantFrom(
    (s: string) => s,
    (s: string) => s.toLowerCase(),
    (s: string) => s.toUpperCase(),
  );
  const space = fc.constantFrom("", " ", "\t", "  ");

  test(
    "generated cookies with any attributes, in any order, case and spacing, read back as RFC 6265 says",
    () => {
      const name = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,20}$/);
      const value = fc.stringMatching(/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,40}$/); // cookie-octets
      fuzz(
        fc.property(name, value, fc.array(fc.tuple(attribute, casing, space, space), { maxLength: 6 }), space, (n, v, attributes, pad) => {
          const parts = attributes.map(([a, caseOf, before, after]) => {
            if (a.kind === "flag") return `${before}${caseOf(a.raw)}${after}`;
            return `${before}${caseOf(NAMES[a.kind])}${after}=${after}${a.raw}${before}`;
          });
          const header = [`${pad}${n}${pad}=${pad}${v}${pad}`, ...parts].join(";");
          // The last valid one of each attribute counts; Max-Age beats Expires (RFC 6265 5.2, 5.3).
          const expected: SetCookie = { name: n, value: v, domain: undefined, path: undefined, secure: false, expires: Infinity };
          let maxAge: number | undefined;
          let expires: number | undefined;
          for (const [a] of attributes) {
            if (a.kind === "max-age" && a.seconds !== undefined) maxAge = a.seconds;
            if (a.kind === "expires" && a.at !== undefined) expires = a.at;
            if (a.kind === "domain") expected.domain = a.raw.replace(/^\./, "").toLowerCase();
            if (a.kind === "path") expected.path = a.raw.startsWith("/") ? a.raw : undefined;
            if (a.kind === "flag" && a.secure) expected.secure = true;
          }
          if (maxAge !== undefined) expected.expires = maxAge <= 0 ? -Infinity : NOW + maxAge;
          else if (expires !== undefined) expected.expires = expires;
          expect(parseSetCookie(header, NOW)).toEqual(expected);
        }),
        15_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe("parseCookieDate under fuzzing", () => {
  test(
    "dates in the IMF, RFC 850 and asctime formats read back to the second",
    () => {
      fuzz(
        fc.property(date(1601, 9999), date(1970, 2069), (d, recent) => {
          const seconds = (x: Date) => Math.floor(x.getTime() / 1000);
          expect(parseCookieDate(formats.imf(d))).toBe(seconds(d));
          expect(parseCookieDate(formats.asctime(d))).toBe(seconds(d));
          expect(parseCookieDate(formats.rfc850(recent))).toBe(seconds(recent));
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "any text: a whole number of seconds or undefined, never an exception",
    () => {
      const piece = fc.oneof(
        fc.string({ unit: "binary", maxLength: 8 }),
        fc.constantFrom(" ", ",", ":", "-", "GMT", "Feb", "31", "29", "23:59:60", "1601", "99", "00", "10000"),
      );
      fuzz(
        fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
          const result = parseCookieDate(pieces.join(""));
          if (result !== undefined) expect(Number.isInteger(result)).toBe(true);
        }),
        10_000,
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
