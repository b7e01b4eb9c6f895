// Following redirects the way requests (and so Locust) does: 301/302/303 become GET without a
// body, 307/308 repeat the method and body, and credentials do not travel to another origin.
import { HttpError } from "./errors.ts";
import type { RawResponse } from "./parser.ts";
import { originOf, prepare, type Prepared } from "./request.ts";
import { decodeHeaders } from "./response.ts";

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The next request of the chain; undefined when the 3xx has no Location (it is then final). */
export function followRedirect(
  previous: Prepared,
  response: RawResponse,
  defaults: Readonly<Record<string, string>>,
): Prepared | HttpError | undefined {
  const location = decodeHeaders(response.head())["location"];
  if (location === undefined || location === "") return undefined;
  let next: URL;
  try {
    next = new URL(location, previous.href);
  } catch (cause) {
    return new HttpError("EREDIRECT", `redirect from ${previous.href} to an unparsable Location ${JSON.stringify(location)}`, cause);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:")
    return new HttpError("EREDIRECT", `redirect from ${previous.href} to a non-HTTP Location ${JSON.stringify(location)}`);
  const keepsBody = response.status === 307 || response.status === 308;
  const method = keepsBody || previous.method === "HEAD" ? previous.method : "GET";
  const crossOrigin = originOf(next).key !== previous.origin.key;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    const lower = name.toLowerCase();
    if (!keepsBody && lower === "content-type") continue;
    if (crossOrigin && (lower === "authorization" || lower === "cookie")) continue;
    headers[name] = value;
  }
  const body = keepsBody ? previous.body : undefined;
  const contentType = keepsBody ? previous.contentType : undefined;
  try {
    return prepare(method, next, defaults, headers, body, contentType);
  } catch (cause) {
    return new HttpError("EREDIRECT", `cannot follow the redirect from ${previous.href} to ${next.href}`, cause);
  }
}
