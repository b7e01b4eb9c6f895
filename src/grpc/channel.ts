// One HTTP/2 connection to a gRPC target (node:http2, which Bun implements natively), made on the
// first call and again after the server closed it (GOAWAY, idle timeout) or it failed.
import { type ClientHttp2Session, type ClientHttp2Stream, connect, type OutgoingHttpHeaders } from "node:http2";
import { tlsFailureText, tlsHint } from "../http/tls-hints.ts";

/** gRPC's connect timeout (grpc-go's minConnectTimeout): a connection's server has this long to answer. */
const CONNECT_TIMEOUT_MS = 20_000;

export class Channel {
  private session: ClientHttp2Session | undefined;
  /** Why the last connection failed, for the calls it took down (e.g. "connect ECONNREFUSED 127.0.0.1:1"). */
  lastError: string | undefined;

  /** `authority`: "http://host:port" or "https://host:port". */
  constructor(
    readonly authority: string,
    private readonly rejectUnauthorized: boolean,
    private readonly connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ) {}

  /** "host:port", for messages. */
  get target(): string {
    return this.authority.replace(/^[a-z]+:\/\//, "");
  }

  /** Opens a stream; the session is (re)made here when there is none. */
  request(headers: OutgoingHttpHeaders): ClientHttp2Stream {
    return this.connected().request(headers);
  }

  /** Drops the connection at once (the calls on it end as cancelled). */
  close(): void {
    const session = this.session;
    this.session = undefined;
    session?.destroy();
  }

  private connected(): ClientHttp2Session {
    const current = this.session;
    if (current !== undefined && !current.closed && !current.destroyed) return current;
    const session = connect(this.authority, { rejectUnauthorized: this.rejectUnauthorized });
    this.session = session;
    this.lastError = undefined;
    // The streams on it report the failure; this keeps the reason and lets the next call reconnect.
    session.on("error", (error: Error) => {
      this.lastError = connectFailure(error, this.target, this.authority.startsWith("https:"));
      if (this.session === session) this.session = undefined;
    });
    const drop = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on("goaway", drop);
    session.on("close", drop);
    this.bound(session);
    return session;
  }

  // A port that accepts but never speaks HTTP/2 would hold every call without a deadline forever.
  private bound(session: ClientHttp2Session): void {
    const timer = setTimeout(() => {
      const seconds = this.connectTimeoutMs / 1000;
      const why = `${this.target} accepted the connection but sent no HTTP/2 settings within ${seconds} s (is the target a gRPC server?)`;
      session.destroy(new Error(why));
    }, this.connectTimeoutMs);
    timer.unref();
    const settled = () => clearTimeout(timer);
    session.once("remoteSettings", settled);
    session.once("close", settled);
  }
}

// node:http2's connection errors name OpenSSL's or nghttp2's verdict; a user needs to know which
// side of the target is wrong: its scheme, its port, or a test certificate.
function connectFailure(error: Error, target: string, tls: boolean): string {
  const code = String((error as { code?: unknown }).code ?? "");
  if (!tls && code === "ERR_HTTP2_ERROR")
    return `${target} did not answer in HTTP/2 (${error.message}): a plaintext target (host:port, http://) needs a gRPC server without TLS; is it an HTTP/1.1 server, or a TLS port (then use https://)?`;
  if (code === "ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL" || error.message.includes("TLSV1_ALERT_NO_APPLICATION_PROTOCOL"))
    return `${error.message} (the server does not offer HTTP/2 (ALPN h2) on this port, which gRPC needs)`;
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER")
    return `TLS handshake with ${target} failed: ${code} (the port does not speak TLS: use host:port or http:// for a server without TLS)`;
  if (tlsHint(code) !== undefined) return `TLS handshake with ${target} failed: ${tlsFailureText(code, error.message, error)}`;
  return error.message;
}
