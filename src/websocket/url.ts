// Where a ctx.websocket URL goes: relative ones to the host (Locust joins host and path as
// strings), http→ws and https→wss; the name recorded is the path and query as requests writes it.
import { maskCredentials, splitCredentials } from "../http/credentials.ts";
import { pathUrl } from "../http/path-url.ts";
import { WebSocketError } from "./errors.ts";

export interface Endpoint {
  readonly tls: boolean;
  readonly host: string; // for connect(): no brackets around IPv6
  readonly port: number;
  readonly servername: string | undefined; // SNI: names only, not IP addresses
  readonly hostHeader: string;
  readonly authority: string; // host:port, for messages
  /** "/path?query", the request target and the default name (urllib3's path_url rules). */
  readonly path: string;
  /** The URL as ws:// or wss://, credentials masked: what messages show (namedEndpoint). */
  readonly href: string;
  /** Basic auth from credentials in the URL, as the HTTP client sends them. */
  readonly authorization: string | undefined;
}

export function resolveEndpoint(url: string, host: string | undefined): Endpoint {
  let absolute = url;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    if (host === undefined || host === "")
      throw new WebSocketError("EINVALIDURL", `"${url}" is relative and no host is set: pass a ws:// URL or set the host`, false);
    absolute = host.replace(/\/+$/, "") + url;
  }
  let parsed: URL;
  try {
    parsed = new URL(absolute);
  } catch (cause) {
    throw new WebSocketError("EINVALIDURL", `"${maskCredentials(absolute)}" is not a URL`, false, cause);
  }
  const scheme = { "ws:": "ws", "http:": "ws", "wss:": "wss", "https:": "wss" }[parsed.protocol];
  if (scheme === undefined)
    throw new WebSocketError("EINVALIDURL", `"${maskCredentials(absolute)}" is not a ws://, wss://, http:// or https:// URL`, false);
  const tls = scheme === "wss";
  const defaultPort = tls ? 443 : 80;
  const port = parsed.port === "" ? defaultPort : Number(parsed.port);
  const bare = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const ip = /^[\d.]+$/.test(bare) || bare.includes(":");
  const path = pathUrl(splitCredentials(absolute).url);
  const hostHeader = port === defaultPort ? parsed.hostname : `${parsed.hostname}:${port}`;
  return {
    tls,
    host: bare,
    port,
    servername: ip ? undefined : bare,
    hostHeader,
    authority: `${parsed.hostname}:${port}`,
    path,
    href: `${scheme}://${hostHeader}${path}`,
    authorization: splitCredentials(absolute).authorization,
  };
}

/**
 * The endpoint of a socket the task named: its messages show the name in place of the path, as
 * the HTTP client's failure text shows a request's name (Locust's rule), so sockets grouped under
 * one name (`/chat?user=1`, `/chat?user=2` as "/chat") fail with one text, one row per cause.
 * A name that is not a path ("join") keeps the path without its query.
 */
export function namedEndpoint(endpoint: Endpoint, name: string | undefined): Endpoint {
  if (name === undefined || name === endpoint.path) return endpoint;
  const origin = endpoint.href.slice(0, endpoint.href.length - endpoint.path.length);
  const shown = name.startsWith("/") ? name : endpoint.path.replace(/\?.*$/, "");
  return { ...endpoint, href: origin + shown };
}
