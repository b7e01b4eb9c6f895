// What a failed TLS handshake most likely means and what to do about it, by node:tls's error code
// (the same under Bun): the failures table is where a user first meets a wrong port or a test
// certificate. Only options that exist are named: http.rejectUnauthorized (HTTP, WebSocket, gRPC)
// and NODE_EXTRA_CA_CERTS, which Bun and Node read at start.

/** The code tls.ts gives a connection the server closed (or reset) before the TLS handshake finished. */
export const TLS_CLOSED = "ERR_TLS_CLOSED_BEFORE_HANDSHAKE";

const TEST_TARGET = "or set http: { rejectUnauthorized: false } for a test target";
const trust = (what: string) => `trust ${what} with NODE_EXTRA_CA_CERTS=<ca.pem> in the worker's environment, ${TEST_TARGET}`;
const UNTRUSTED_ISSUER = `the certificate's issuer is not trusted (a private CA, or a server that does not send its intermediates): ${trust("the CA")}`;
// Deno's node:tls gives this code to an expired certificate too (rustls' verdicts are not passed
// on): the hint cannot tell them apart there, so it names both.
const UNVERIFIED = `the certificate could not be verified: its issuer is not trusted (a private CA, or a server that does not send its intermediates), or under Deno it may have expired: ${trust("the CA")}`;

const HINTS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `a self-signed certificate: ${trust("it")}`,
  SELF_SIGNED_CERT_IN_CHAIN: `the chain ends in a self-signed CA that is not trusted: ${trust("that CA")}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNVERIFIED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED_ISSUER,
  CERT_HAS_EXPIRED: `the server's certificate has expired: renew it, ${TEST_TARGET}`,
  ERR_TLS_CERT_ALTNAME_INVALID: `the certificate is not for this host name or address: use a name it lists, ${TEST_TARGET}`,
  TLSV1_ALERT_NO_APPLICATION_PROTOCOL: "the server speaks none of the protocols we offered by ALPN",
};

/** What to do about a TLS failure with this code, if we know. */
export function tlsHint(code: string): string | undefined {
  return HINTS[code.startsWith("ERR_SSL_") ? code.slice(8) : code]; // Bun names OpenSSL's alerts ERR_SSL_…
}

/**
 * The part of "TLS handshake with host:port failed: …" after the colon; `cause` is node:tls's
 * error, whose certificate (Bun, Node and Deno attach it to a name mismatch) says which names it is for.
 */
export function tlsFailureText(code: string, detail: string, cause?: unknown): string {
  if (code === TLS_CLOSED) return "the server closed the connection (does it speak TLS on this port?)";
  if (code === "") return detail;
  const names = code === "ERR_TLS_CERT_ALTNAME_INVALID" ? certificateNames(cause) : undefined;
  if (names !== undefined) return `${code} (the certificate is for ${names}: use a name it lists, ${TEST_TARGET})`;
  const hint = tlsHint(code);
  return hint === undefined ? code : `${code} (${hint})`;
}

// node:tls's peer certificate: its subjectaltname ("DNS:localhost, IP Address:10.0.0.1"), else its CN.
function certificateNames(cause: unknown): string | undefined {
  const cert = typeof cause === "object" && cause !== null ? (cause as { cert?: unknown }).cert : undefined;
  if (typeof cert !== "object" || cert === null) return undefined;
  const { subjectaltname, subject } = cert as { subjectaltname?: unknown; subject?: { CN?: unknown } };
  if (typeof subjectaltname === "string" && subjectaltname !== "") return subjectaltname;
  return typeof subject?.CN === "string" ? `CN=${subject.CN}` : undefined;
}

/** The error tls.ts reports for a connection that ended before the TLS handshake finished. */
export function tlsClosedError(cause?: unknown): Error {
  const error = new Error(
    "the server closed the connection before the TLS handshake finished",
    cause === undefined ? undefined : { cause },
  );
  return Object.assign(error, { code: TLS_CLOSED });
}
