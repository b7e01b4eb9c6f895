// One user's cookies, like requests.Session.cookies: Set-Cookie headers are stored by the rules of
// RFC 6265 (domain, path, Secure, Expires/Max-Age) and sent back on the requests they match.
import { HttpError } from "./errors.ts";
import { resolveUrl } from "./request.ts";
import { MAX_COOKIE_BYTES, parseSetCookie } from "./set-cookie.ts";

/** Cookies kept per jar, and per domain: a hostile server cannot grow a user's memory past them. */
export const MAX_COOKIES = 300;
export const MAX_COOKIES_PER_DOMAIN = 50;

interface Cookie {
  readonly name: string;
  value: string;
  /** The host (host-only) or the Domain attribute; "" for set() without a domain: every host. */
  readonly domain: string;
  hostOnly: boolean;
  readonly path: string;
  secure: boolean;
  expires: number; // epoch seconds; Infinity for a session cookie
}

/** Where a request goes, as far as cookies care. */
export interface CookieTarget {
  readonly host: string; // lower-case, IPv6 without brackets
  readonly path: string;
  readonly secure: boolean; // https
}

export interface SetCookieOptions {
  /** Sent to this host and its subdomains (a leading dot is ignored); default: every host, as in requests. */
  domain?: string;
  /** Sent to this path and below it; default "/". */
  path?: string;
}

// A cookie name or value may not break the Cookie header: no CTL, no ";", nothing beyond latin-1.
const UNSAFE_VALUE = /[\x00-\x08\x0a-\x1f\x7f;]|[^\x00-\xff]/;
const UNSAFE_NAME = /[\x00-\x20\x7f;=,]|[^\x00-\xff]/;

/** A simulated user's cookies. Read and change them through `client.cookies`. */
export class CookieJar {
  /** @internal Bumped by every change that can change a Cookie header: the client caches by it. */
  version = 0;
  // Keyed by domain, path and name (RFC 6265's identity); Map order is creation order.
  private readonly cookies = new Map<string, Cookie>();
  private readonly perDomain = new Map<string, number>();
  private nextExpiry = Infinity;

  /** @internal Made by HttpClient; `nowSec` is wall-clock epoch seconds. */
  constructor(
    private readonly nowSec: () => number,
    private readonly baseUrl: string | undefined,
  ) {}

  /** Cookies stored (expired ones may still count until the next request). */
  get size(): number {
    return this.cookies.size;
  }

  /**
   * The value of the cookie `name`: the one a request to `url` would send first (relative URLs
   * join the client's baseUrl), or without `url` the oldest of that name. Undefined when none.
   */
  get(name: string, url?: string): string | undefined {
    this.expire();
    if (url === undefined) {
      for (const cookie of this.cookies.values()) if (cookie.name === name) return cookie.value;
      return undefined;
    }
    const target = resolveUrl(url, this.baseUrl);
    const host = target.hostname.startsWith("[") ? target.hostname.slice(1, -1) : target.hostname;
    const matching = this.matching({ host, path: target.pathname, secure: target.protocol === "https:" });
    return matching.find((cookie) => cookie.name === name)?.value;
  }

  /** Stores a cookie as if a server had set it, replacing one with the same name, domain and path. */
  set(name: string, value: string, options: SetCookieOptions = {}): void {
    if (name === "" || UNSAFE_NAME.test(name))
      throw new HttpError("EINVALIDHEADER", `cookie name ${JSON.stringify(name)} cannot be sent in a Cookie header`);
    if (UNSAFE_VALUE.test(value))
      throw new HttpError(
        "EINVALIDHEADER",
        `the value of cookie ${name} has a control character or ";", which would break the Cookie header`,
      );
    const domain = (options.domain ?? "").replace(/^\./, "").toLowerCase();
    const path = options.path ?? "/";
    if (!path.startsWith("/")) throw new HttpError("EINVALIDHEADER", `cookie ${name}: path ${JSON.stringify(path)} must start with "/"`);
    // The size cap guards against servers; a cookie the task sets itself must not vanish silently.
    if (name.length + value.length > MAX_COOKIE_BYTES) {
      throw new HttpError(
        "EINVALIDHEADER",
        `cookie ${name} is ${name.length + value.length} bytes; the jar keeps cookies up to ${MAX_COOKIE_BYTES} bytes (send a larger value in a header instead)`,
      );
    }
    this.put({ name, value, domain, hostOnly: false, path, secure: false, expires: Infinity });
  }

  /** Forgets every cookie. */
  clear(): void {
    this.cookies.clear();
    this.perDomain.clear();
    this.nextExpiry = Infinity;
    this.version++;
  }

  /** @internal Stores the Set-Cookie header values of a response to `target`. */
  store(headers: readonly string[], target: CookieTarget): void {
    const now = this.nowSec();
    for (const header of headers) {
      const parsed = parseSetCookie(header, now);
      if (parsed === undefined) continue;
      let domain = target.host;
      if (parsed.domain !== undefined) {
        // A Domain must cover the request host, and a dotless one ("com") may only name the host itself.
        if (!domainMatch(target.host, parsed.domain)) continue;
        if (!parsed.domain.includes(".") && parsed.domain !== target.host) continue;
        domain = parsed.domain;
      }
      const path = parsed.path ?? defaultPath(target.path);
      const cookie = {
        name: parsed.name,
        value: parsed.value,
        domain,
        hostOnly: parsed.domain === undefined,
        path,
        secure: parsed.secure,
        expires: parsed.expires,
      };
      if (cookie.expires <= now) this.remove(keyOf(cookie));
      else this.put(cookie);
    }
  }

  /** @internal The Cookie header value for a request to `target`; "" when no cookie matches. */
  header(target: CookieTarget): string {
    const matching = this.matching(target);
    let header = "";
    for (const cookie of matching) header += `${header === "" ? "" : "; "}${cookie.name}=${cookie.value}`;
    return header;
  }

  /** @internal Drops expired cookies; one comparison while none is due. */
  expire(): void {
    const now = this.nowSec();
    if (now < this.nextExpiry) return;
    this.nextExpiry = Infinity;
    for (const [key, cookie] of this.cookies) {
      if (cookie.expires <= now) this.remove(key);
      else if (cookie.expires < this.nextExpiry) this.nextExpiry = cookie.expires;
    }
  }

  /** Matching cookies, longest path first, then oldest first (RFC 6265 5.4 step 2). */
  private matching(target: CookieTarget): Cookie[] {
    const found: Cookie[] = [];
    for (const cookie of this.cookies.values()) {
      if (cookie.secure && !target.secure) continue;
      if (cookie.hostOnly ? cookie.domain !== target.host : cookie.domain !== "" && !domainMatch(target.host, cookie.domain)) continue;
      if (pathMatch(target.path, cookie.path)) found.push(cookie);
    }
    if (found.length > 1) found.sort((a, b) => b.path.length - a.path.length); // stable: ties stay oldest first
    return found;
  }

  private put(cookie: Cookie): void {
    if (cookie.name.length + cookie.value.length > MAX_COOKIE_BYTES) return;
    const key = keyOf(cookie);
    const old = this.cookies.get(key);
    if (old !== undefined) {
      // Replaced in place: it keeps its creation order, as RFC 6265 5.3 step 11 keeps its creation-time.
      if (old.value !== cookie.value || old.secure !== cookie.secure || old.hostOnly !== cookie.hostOnly) this.version++;
      old.value = cookie.value;
      old.secure = cookie.secure;
      old.hostOnly = cookie.hostOnly;
      old.expires = cookie.expires;
    } else {
      this.makeRoom(cookie.domain);
      this.cookies.set(key, cookie);
      this.perDomain.set(cookie.domain, (this.perDomain.get(cookie.domain) ?? 0) + 1);
      this.version++;
    }
    if (cookie.expires < this.nextExpiry) this.nextExpiry = cookie.expires;
  }

  /** Past a limit the oldest cookie goes: expired ones first, then of the same domain, then any. */
  private makeRoom(domain: string): void {
    if (this.cookies.size < MAX_COOKIES && (this.perDomain.get(domain) ?? 0) < MAX_COOKIES_PER_DOMAIN) return;
    this.nextExpiry = -Infinity; // forces expire() to sweep
    this.expire();
    if ((this.perDomain.get(domain) ?? 0) >= MAX_COOKIES_PER_DOMAIN) {
      for (const [key, cookie] of this.cookies) if (cookie.domain === domain) return this.remove(key);
    }
    if (this.cookies.size >= MAX_COOKIES) {
      const oldest = this.cookies.keys().next();
      if (oldest.done !== true) this.remove(oldest.value);
    }
  }

  private remove(key: string): void {
    const cookie = this.cookies.get(key);
    if (cookie === undefined) return;
    this.cookies.delete(key);
    const count = (this.perDomain.get(cookie.domain) ?? 1) - 1;
    if (count === 0) this.perDomain.delete(cookie.domain);
    else this.perDomain.set(cookie.domain, count);
    this.version++;
  }
}

function keyOf(cookie: { name: string; domain: string; path: string }): string {
  return `${cookie.domain}\n${cookie.path}\n${cookie.name}`;
}

/** RFC 6265 5.1.3: the host is the domain, or a name (not an IP) under it. */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(domain) && host.charCodeAt(host.length - domain.length - 1) === 46 && !isIpLiteral(host);
}

function isIpLiteral(host: string): boolean {
  return host.includes(":") || /^[0-9.]+$/.test(host);
}

/** RFC 6265 5.1.4: the cookie path is the request path, or a prefix of it ending at a "/". */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath.charCodeAt(cookiePath.length) === 47;
}

/** RFC 6265 5.1.4: the directory of the request path ("/a/b" → "/a", "/a" → "/"). */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith("/")) return "/";
  const slash = requestPath.lastIndexOf("/");
  return slash <= 0 ? "/" : requestPath.slice(0, slash);
}
