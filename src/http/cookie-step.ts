// The cookie step: each hop goes out with the jar's cookies, and the cookies its response sets go
// into the jar (on every hop, as requests does for redirects).
import type { Call } from "./call.ts";
import type { CookieJar, CookieTarget } from "./cookies.ts";
import { Step } from "./dispatch.ts";
import type { RawResponse } from "./raw-response.ts";
import { withCookie, type Prepared } from "./request.ts";
import { headerValues } from "./response.ts";

/** Each hop with the jar's cookies; what responses set is kept unless the client's `cookies` option is false. */
export class CookieStep extends Step {
  override dispatch(call: Call): void {
    call.wire = wireOf(call.client.jar, call.hop);
    this.inner.dispatch(call);
  }

  override onResponse(call: Call, response: RawResponse): void {
    const client = call.client;
    if (response.setCookie && client.storeCookies) client.jar.store(headerValues(response.head(), "set-cookie"), targetOf(call.hop));
    this.outer.onResponse(call, response);
  }
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
