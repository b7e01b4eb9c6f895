// Stable error codes for the HTTP client. Network failures become HttpError values on a response
// (recorded as failures, like Locust); programming errors (bad URL, bad header) reject the call.

import { pythonRepr } from "../text/python-repr.ts";
import { tlsFailureText } from "./tls-hints.ts";
/** Every code an HttpError can carry; the set is part of the public API. */
export type HttpErrorCode =
  | "ECONNREFUSED" // nothing listens on host:port
  | "ECONNRESET" // the peer closed or reset the connection before the response was complete
  | "ETIMEDOUT" // connect + response did not finish within timeoutMs
  | "ENOTFOUND" // the host name did not resolve
  | "ETLS" // the TLS handshake failed (certificate rejected, protocol mismatch, the server closed before it finished)
  | "EPROTO" // the server's bytes are not valid HTTP/1.x, or a body is not valid gzip/deflate as its Content-Encoding says
  | "EREDIRECT" // too many redirects, or a redirect without a usable Location
  | "ENETWORK" // any other socket error (the cause says which)
  | "EBODYTOOLARGE" // text()/bytes()/json() on a body larger than maxBodyBytes
  | "EINVALIDURL" // the URL cannot be parsed, or is relative without baseUrl
  | "EINVALIDHEADER" // a header name or value (or a cookie given to cookies.set) would break the request framing
  | "EINVALIDMETHOD" // the method is not an HTTP token
  | "EINVALIDOPTION" // an option has a value it cannot have (a negative timeoutMs, say)
  | "ECLOSED"; // the client was closed

export class HttpError extends Error {
  readonly code: HttpErrorCode;
  constructor(code: HttpErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "HttpError";
    this.code = code;
  }
}

/** Internal: a failure on a reused keep-alive socket before any response byte may be retried once. */
export class ConnectionFailure {
  constructor(
    readonly error: HttpError,
    readonly retryable: boolean,
  ) {}
}

/** The error an aborted request rejects with (never recorded). */
export function abortError(reason: unknown): Error {
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  const error = new Error("the request was aborted by the user's signal", { cause: reason });
  error.name = "AbortError";
  return error;
}

/** Maps a socket error from node:net / node:tls to our stable code and a message naming the host. */
export function networkError(cause: unknown, authority: string): HttpError {
  const code = typeof cause === "object" && cause !== null ? String((cause as { code?: unknown }).code ?? "") : "";
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (code === "ECONNREFUSED") return new HttpError("ECONNREFUSED", `connection refused by ${authority}`, cause);
  if (code === "ECONNRESET" || code === "EPIPE")
    return new HttpError("ECONNRESET", `connection to ${authority} was reset by the server`, cause);
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME")
    return new HttpError("ENOTFOUND", `host name of ${authority} did not resolve (${code})`, cause);
  if (code === "ETIMEDOUT") return new HttpError("ETIMEDOUT", `connecting to ${authority} timed out`, cause);
  if (/CERT|SSL|TLS|SIGNATURE|HOSTNAME|ALTNAME/i.test(code) || /certificate|ssl|tls/i.test(detail))
    return new HttpError("ETLS", `TLS handshake with ${authority} failed: ${tlsFailureText(code, detail, cause)}`, cause);
  return new HttpError("ENETWORK", `network error talking to ${authority}: ${code || detail}`, cause);
}

/**
 * The failure text Locust records for status >= 400: requests' HTTPError repr, with the url
 * replaced by the request name (Locust does this so one name does not split into many entries).
 */
export function statusFailureText(status: number, reason: string, name: string): string {
  const kind = status < 500 ? "Client Error" : "Server Error";
  return `HTTPError(${pythonRepr(`${status} ${kind}: ${reason} for url: ${name}`)})`;
}
