// One hop of a call: the request goes out on a pooled socket with the jar's cookies, and the
// cookies its response sets go into the jar (on every hop, as requests does for redirects).
import type { Call } from "./call.ts";
import type { CookieJar, CookieTarget } from "./cookies.ts";
import { HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Pools } from "./pools.ts";
import { withCookie, type Prepared } from "./request.ts";
import { headerValues } from "./response.ts";
import { retryStale } from "./retry.ts";

export class Exchange {
  constructor(
    private readonly pools: Pools,
    private readonly jar: CookieJar,
    private readonly storeCookies: boolean,
  ) {}

  /** Sends `hop`; rejects with a ConnectionFailure (see retry) or the reason the user was stopped. */
  send(hop: Prepared, call: Call): Promise<RawResponse> {
    return this.pools.for(hop.origin).acquire().send(this.wire(hop), hop.noResponseBody, call.deadline, call.timeoutMs);
  }

  /** After send() rejected: the stale-socket retry, or the failure as a result. */
  retry(failure: unknown, hop: Prepared, call: Call): Promise<RawResponse | HttpError> {
    const pool = this.pools.for(hop.origin);
    return retryStale(failure, hop, this.wire(hop), call, () => pool.open());
  }

  /** Stores the response's Set-Cookie headers (a failed hop has none). */
  keepCookies(raw: RawResponse | HttpError, hop: Prepared): void {
    if (!(raw instanceof HttpError) && raw.setCookie && this.storeCookies) this.jar.store(headerValues(raw.head(), "set-cookie"), targetOf(hop));
  }

  /** The bytes to write: an empty jar costs one comparison, the cached bytes go out as they are. */
  private wire(hop: Prepared): Uint8Array {
    return this.jar.size === 0 || hop.explicitCookie ? hop.wire : this.cookieWire(hop);
  }

  /** The request bytes with the jar's cookies, remade only when the jar changed since last time. */
  private cookieWire(hop: Prepared): Uint8Array {
    const jar = this.jar;
    jar.expire();
    const cached = hop.cookieWire;
    if (cached !== undefined && cached.version === jar.version) return cached.wire;
    const header = jar.header(targetOf(hop));
    const wire = header === "" ? hop.wire : withCookie(hop, header);
    hop.cookieWire = { version: jar.version, wire };
    return wire;
  }
}

function targetOf(hop: Prepared): CookieTarget {
  return { host: hop.origin.host, path: hop.path, secure: hop.origin.tls };
}
