// The first request of a call, serialized once: a body-less call without per-call headers is
// cached by method and URL, so a load loop writes the same bytes again without rebuilding them.
import { maskCredentials, splitCredentials } from "./credentials.ts";
import type { RequestOptions } from "./options.ts";
import { pathUrl } from "./path-url.ts";
import { HttpError } from "./errors.ts";
import { ABSOLUTE, encodeBody, joinUrl, parseUrl, prepare, type Prepared } from "./request.ts";

/** Requests kept; cleared when full (URLs with ids would grow it forever). */
const MAX_CACHED_REQUESTS = 1024;

/** Itself the Map (method+URL → request), so a call reaches the cache in one step. */
export class HeadCache extends Map<string, Prepared> {
  private readonly baseUrl: string | undefined;
  /** Basic auth from the base URL's credentials: Locust's HttpSession sends it with every request. */
  private readonly baseAuth: string | undefined;
  /** A base that is no http(s) URL (a host typed without its scheme): what every relative call throws. */
  private readonly badBase: HttpError | undefined;

  constructor(
    baseUrl: string | undefined,
    private readonly defaults: Readonly<Record<string, string>>,
  ) {
    super();
    const base = baseUrl === undefined ? undefined : splitCredentials(baseUrl.replace(/\/+$/, ""));
    this.baseUrl = base?.url;
    this.baseAuth = base?.authorization;
    // One message for every relative URL (not "cannot parse URL" with each path): the Exceptions
    // tab then has one row that says what to fix, where "127.0.0.1:8080" + "/items/7" made one a URL.
    if (this.baseUrl !== undefined && !/^https?:\/\/[^/]/i.test(this.baseUrl)) {
      const shown = maskCredentials(this.baseUrl);
      this.badBase = new HttpError(
        "EINVALIDURL",
        `the host ${JSON.stringify(shown)} is not an http:// or https:// URL: give it with its scheme, e.g. http://${shown.replace(/^[a-z][a-z0-9+.-]*:\/*/i, "")} (--host, the web UI's Host field or the class's host)`,
      );
    }
  }

  /** The base URL without its credentials (cookies resolve relative URLs against it). */
  get base(): string | undefined {
    return this.baseUrl;
  }

  first(method: string, url: string, options: RequestOptions): Prepared {
    const plain = isPlain(options);
    const key = plain ? (method === "GET" ? url : `${method} ${url}`) : "";
    let prepared = plain ? this.get(key) : undefined;
    if (prepared === undefined) {
      prepared = this.prepare(method, url, options);
      if (plain) {
        if (this.size >= MAX_CACHED_REQUESTS) this.clear();
        this.set(key, prepared);
      }
    }
    return prepared;
  }

  private prepare(method: string, url: string, options: RequestOptions): Prepared {
    if (this.badBase !== undefined && !ABSOLUTE.test(url)) throw this.badBase;
    const body = encodeBody(options.body, options.json);
    const { url: full, authorization } = splitCredentials(joinUrl(url, this.baseUrl));
    const target = parseUrl(full);
    const auth = this.baseAuth ?? authorization;
    // An Authorization header the task sets itself is sent as given.
    const headers =
      auth === undefined || hasHeader(options.headers, "authorization") || hasHeader(this.defaults, "authorization")
        ? options.headers
        : { ...options.headers, Authorization: auth };
    return prepare(method, target, pathUrl(full), this.defaults, headers, body.bytes, body.contentType);
  }
}

/** A call without its own headers or body: its request bytes depend on the method and URL only. */
export function isPlain(options: RequestOptions): boolean {
  return options.headers === undefined && options.body === undefined && options.json === undefined;
}

function hasHeader(headers: Readonly<Record<string, string>> | undefined, lowerName: string): boolean {
  if (headers === undefined) return false;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === lowerName) return true;
  return false;
}
