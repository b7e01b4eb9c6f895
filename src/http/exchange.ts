// One hop of a call: the request goes out on a pooled socket with the jar's cookies, and the
// cookies its response sets go into the jar (on every hop, as requests does for redirects).
// Plain functions over the client's pools and jar: the hot path reaches them without a detour.
import type { Call } from "./call.ts";
import type { CookieJar, CookieTarget } from "./cookies.ts";
import { HttpError } from "./errors.ts";
import type { Pool } from "./pool.ts";
import type { RawResponse } from "./raw-response.ts";
import { withCookie, type Prepared } from "./request.ts";
import { headerValues } from "./response.ts";
import { retryStale } from "./retry.ts";

/** Sends `hop`; the call hears of its response, a ConnectionFailure (see retry.ts) or the reason the user was stopped. */
export function exchange(pool: Pool, jar: CookieJar, call: Call): void {
  const hop = call.hop;
  pool.acquire().send(wireOf(jar, hop), hop.noResponseBody, call.deadline, call.timeoutMs, call);
}

/** After a hop failed: the stale-socket retry, or the failure as a result. */
export function retry(pool: Pool, jar: CookieJar, failure: unknown, call: Call): Promise<RawResponse | HttpError> {
  const hop = call.hop;
  return retryStale(failure, hop, wireOf(jar, hop), call, () => pool.open());
}

/** Stores the response's Set-Cookie headers (a failed hop has none). */
export function keepCookies(jar: CookieJar, outcome: RawResponse | HttpError, hop: Prepared): void {
  if (!(outcome instanceof HttpError) && outcome.setCookie) jar.store(headerValues(outcome.head(), "set-cookie"), targetOf(hop));
}

/**
 * The bytes to write: a jar that never held a cookie costs one field (version 0; the size is in
 * its Map, one more memory load per request at 1,000 users), the cached bytes go out as they are.
 */
function wireOf(jar: CookieJar, hop: Prepared): Uint8Array {
  return jar.version === 0 || jar.size === 0 || hop.explicitCookie ? hop.wire : cookieWire(jar, hop);
}

/** The request bytes with the jar's cookies, remade only when the jar changed since last time. */
function cookieWire(jar: CookieJar, hop: Prepared): Uint8Array {
  jar.expire();
  const cached = hop.cookieWire;
  if (cached !== undefined && cached.version === jar.version) return cached.wire;
  const header = jar.header(targetOf(hop));
  const wire = header === "" ? hop.wire : withCookie(hop, header);
  hop.cookieWire = { version: jar.version, wire };
  return wire;
}

function targetOf(hop: Prepared): CookieTarget {
  return { host: hop.origin.host, path: hop.path, secure: hop.origin.tls };
}
