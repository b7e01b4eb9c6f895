// Following redirects the way requests (and so Locust) does: the method changes by requests'
// rules, only 307/308 resend the body, and credentials do not travel to another origin.
import type { Call } from "./call.ts";
import { maskCredentials } from "./credentials.ts";
import { Step } from "./dispatch.ts";
import { HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import { pathUrl } from "./path-url.ts";
import { originOf, prepare, type Prepared } from "./request.ts";
import { decodeHeaders } from "./response.ts";

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** After each hop: the response (a non-3xx, a manual redirect, a 3xx without Location), a failure, or the next hop sent. */
export class FollowRedirects extends Step {
  override onResponse(call: Call, response: RawResponse): void {
    // The hot path's check: only a 3xx the call follows goes on to the next hop.
    const next = isRedirect(response.status) && call.options.redirect !== "manual" ? this.nextOf(call, response) : undefined;
    if (next === undefined) this.outer.onResponse(call, response);
    else if (next instanceof HttpError) this.outer.onFailure(call, next, false);
    else {
      call.client.stillRunning(`following redirects for ${maskCredentials(call.url)}`);
      call.to(next);
      this.inner.dispatch(call);
    }
  }

  /** The hop after a 3xx; undefined when it has no Location (then it is the answer, as in requests). */
  private nextOf(call: Call, response: RawResponse): Prepared | HttpError | undefined {
    const next = nextHop(call.hop, response, call.client.headers);
    if (next === undefined || next instanceof HttpError) return next;
    const max = call.client.maxRedirects;
    if (++call.redirects > max)
      return new HttpError("EREDIRECT", `more than ${max} redirects for ${maskCredentials(call.url)}, last to ${next.href}`);
    return next;
  }
}

/** requests' rebuild_method: 303 and 302 turn all but HEAD into GET, 301 only POST; 307/308 keep it. */
function redirectMethod(status: number, method: string): string {
  if ((status === 303 || status === 302) && method !== "HEAD") return "GET";
  if (status === 301 && method === "POST") return "GET";
  return method;
}

/** The next request of the chain; undefined when the 3xx has no Location (it is then final). */
function nextHop(previous: Prepared, response: RawResponse, defaults: Readonly<Record<string, string>>): Prepared | HttpError | undefined {
  const location = decodeHeaders(response.head()).location;
  if (location === undefined || location === "") return undefined;
  const shown = JSON.stringify(maskCredentials(location));
  let next: URL;
  try {
    next = new URL(location, previous.href);
  } catch {
    return new HttpError("EREDIRECT", `redirect from ${previous.href} to an unparsable Location ${shown}`);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:")
    return new HttpError("EREDIRECT", `redirect from ${previous.href} to a non-HTTP Location ${shown}`);
  // requests does not turn a Location's credentials into auth; they are not sent, nor shown.
  next.username = "";
  next.password = "";
  // Only 307/308 resend the body; requests drops it (and its Content-Type) for the others even
  // where the method stays, as a 301 PUT does.
  const keepsBody = response.status === 307 || response.status === 308;
  const method = redirectMethod(response.status, previous.method);
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
    return prepare(method, next, pathUrl(next.href), defaults, headers, body, contentType);
  } catch (cause) {
    return new HttpError("EREDIRECT", `cannot follow the redirect from ${previous.href} to ${next.href}`, cause);
  }
}
