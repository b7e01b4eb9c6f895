// What a failed TLS handshake most likely means and what to do about it, by node:tls's error code
// (the same under Bun): the failures table is where a user first meets a wrong port or a test
// certificate. Only options that exist are named: http.rejectUnauthorized (HTTP, WebSocket, gRPC)
// and NODE_EXTRA_CA_CERTS, which Bun and Node read at start.

/** The code tls.ts gives a connection the server closed (or reset) before the TLS handshake finished. */
export const TLS_CLOSED = "ERR_TLS_CLOSED_BEFORE_HANDSHAKE";

const TEST_TARGET = "or set http: { rejectUnauthorized: false } for a test target";
const trust = (what: string) => `trust ${what} with NODE_EXTRA_CA_CERTS=<ca.pem> in the worker's environment, ${TEST_TARGET}`;
const UNTRUSTED_ISSUER = `the certificate's issuer is not trusted (a private CA, or a server that does not send its intermediates): ${trust("the CA")}`;

const HINTS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: `a self-signed certificate: ${trust("it")}`,
  SELF_SIGNED_CERT_IN_CHAIN: `the chain ends in a self-signed CA that is not trusted: ${trust("that CA")}`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED_ISSUER,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED_ISSUER,
  CERT_HAS_EXPIRED: `the server's certificate has expired: renew it, ${TEST_TARGET}`,
  ERR_TLS_CERT_ALTNAME_INVALID: `the certificate is not for this host name or address: use a name it lists, ${TEST_TARGET}`,
  TLSV1_ALERT_NO_APPLICATION_PROTOCOL: "the server speaks none of the protocols we offered by ALPN",
};

/** What to do about a TLS failure with this code, if we know. */
export function tlsHint(code: string): string | undefined {
  return HINTS[code.startsWith("ERR_SSL_") ? code.slice(8) : code]; // Bun names OpenSSL's alerts ERR_SSL_…
}

/** The part of "TLS handshake with host:port failed: …" after the colon. */
export function tlsFailureText(code: string, detail: string): string {
  if (code === TLS_CLOSED) return "the server closed the connection (does it speak TLS on this port?)";
  if (code === "") return detail;
  const hint = tlsHint(code);
  return hint === undefined ? code : `${code} (${hint})`;
}

/** The error tls.ts reports for a connection that ended before the TLS handshake finished. */
export function tlsClosedError(cause?: unknown): Error {
  const error = new Error(
    "the server closed the connection before the TLS handshake finished",
    cause === undefined ? undefined : { cause },
  );
  return Object.assign(error, { code: TLS_CLOSED });
}
