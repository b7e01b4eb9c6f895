// Parsing one Set-Cookie header value by RFC 6265 section 5.2, with its cookie-date algorithm
// (5.1.1) instead of Date.parse, which Bun and Deno do not read alike.

/** A Set-Cookie header, parsed; the jar decides the final domain and path. */
export interface SetCookie {
  name: string;
  value: string;
  /** The Domain attribute, lower-case, leading dot removed; undefined when absent. */
  domain: string | undefined;
  /** The Path attribute when it starts with "/"; undefined means the default-path. */
  path: string | undefined;
  secure: boolean;
  /** Epoch seconds; Infinity for a session cookie, -Infinity when Max-Age <= 0 (delete it). */
  expires: number;
}

/** A cookie's name and value together may not exceed this (RFC 6265bis 5.6), nor an attribute value 1024. */
export const MAX_COOKIE_BYTES = 4096;
const MAX_ATTRIBUTE_BYTES = 1024;
// CTLs other than HTAB make the whole cookie invalid (RFC 6265bis 5.6 step 1).
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const MAX_AGE = /^-?[0-9]+$/;

/** The cookie in a Set-Cookie value, or undefined when RFC 6265 says to ignore it. */
export function parseSetCookie(header: string, nowSec: number): SetCookie | undefined {
  if (CONTROL.test(header)) return undefined;
  const semi = header.indexOf(";");
  const pair = semi < 0 ? header : header.slice(0, semi);
  const eq = pair.indexOf("=");
  if (eq < 0) return undefined; // RFC 6265: a pair without "=" is ignored
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (name === "" || name.length + value.length > MAX_COOKIE_BYTES) return undefined;
  const cookie: SetCookie = { name, value, domain: undefined, path: undefined, secure: false, expires: Infinity };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (let at = semi; at >= 0; ) {
    const next = header.indexOf(";", at + 1);
    const attribute = header.slice(at + 1, next < 0 ? undefined : next);
    at = next;
    const aeq = attribute.indexOf("=");
    const key = (aeq < 0 ? attribute : attribute.slice(0, aeq)).trim();
    // Only these names matter (HttpOnly and SameSite only matter to browsers): compare by length first.
    if (key.length !== 4 && key.length !== 6 && key.length !== 7) continue;
    const lower = key.toLowerCase();
    const arg = aeq < 0 ? "" : attribute.slice(aeq + 1).trim();
    if (arg.length > MAX_ATTRIBUTE_BYTES) continue;
    if (lower === "max-age") {
      if (MAX_AGE.test(arg)) maxAge = Number(arg);
    } else if (lower === "expires") {
      // A date that does not parse is ignored: it must not undo an earlier valid one (RFC 6265 5.2.1).
      expires = parseCookieDate(arg) ?? expires;
    } else if (lower === "domain") {
      // An empty Domain is ignored; a leading dot is ignored (RFC 6265 5.2.3).
      const domain = (arg.startsWith(".") ? arg.slice(1) : arg).toLowerCase();
      if (domain !== "") cookie.domain = domain;
    } else if (lower === "path") {
      cookie.path = arg.startsWith("/") ? arg : undefined;
    } else if (lower === "secure") cookie.secure = true;
  }
  // Max-Age wins over Expires, whichever comes first (RFC 6265 5.3 step 3); a bad date is ignored.
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? -Infinity : nowSec + maxAge;
  else if (expires !== undefined) cookie.expires = expires;
  return cookie;
}

// RFC 6265 5.1.1: delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
const DELIMITERS = /[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+/;
const TIME = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/;
const DAY = /^(\d{1,2})(?:\D.*)?$/;
const YEAR = /^(\d{2,4})(?:\D.*)?$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** Epoch seconds of a cookie-date ("Wed, 21 Oct 2015 07:28:00 GMT" and its old variants), or undefined. */
export function parseCookieDate(text: string): number | undefined {
  let time: number[] | undefined;
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  for (const token of text.split(DELIMITERS)) {
    if (token === "") continue;
    // RFC 6265 5.1.1: a token is the first of time, day, month, year that it matches and that is still unset.
    const clock = time === undefined ? TIME.exec(token) : null;
    if (clock !== null) {
      time = [Number(clock[1]), Number(clock[2]), Number(clock[3])];
      continue;
    }
    const dayOf = day === undefined ? DAY.exec(token) : null;
    if (dayOf !== null) {
      day = Number(dayOf[1]);
      continue;
    }
    const monthAt = month === undefined ? MONTHS.indexOf(token.slice(0, 3).toLowerCase()) : -1;
    if (monthAt >= 0) {
      month = monthAt;
      continue;
    }
    const yearOf = year === undefined ? YEAR.exec(token) : null;
    if (yearOf !== null) year = Number(yearOf[1]);
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined;
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [hour = 0, minute = 0, second = 0] = time;
  if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return undefined; // 31 Feb and friends do not exist
  return ms / 1000;
}
