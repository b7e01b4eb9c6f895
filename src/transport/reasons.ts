// One clear sentence per way a connection to the master can fail: these strings are both the
// log line and the reason handed to onDisconnected, so they say what to check.
import { ZmtpError } from "./zmtp.ts";

export function describeSocketError(where: string, host: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ECONNREFUSED":
      return `connection refused by ${where} — is the Locust master running (locust --master)?`;
    case "ECONNRESET":
    case "EPIPE":
      return `connection reset by ${where}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve the master host ${JSON.stringify(host)} (${code})`;
    case "ETIMEDOUT":
      return `connection to ${where} timed out`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} is unreachable (${code})`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `connection to ${where} failed: ${message}`;
    }
  }
}

export function describeProtocolError(where: string, error: unknown): string {
  if (!(error instanceof ZmtpError)) {
    // Not the peer's fault but ours; still a reason to drop the connection rather than crash.
    return `internal error while reading from ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (error.code === "not-zmtp") {
    return `${where} sent bytes that are not a ZMTP greeting — is that port a Locust master?`;
  }
  return `protocol error from ${where} (${error.code}): ${error.message}`;
}

export function describeEnd(where: string, handshakeDone: boolean): string {
  return handshakeDone
    ? `${where} closed the connection`
    : `${where} closed the connection during the ZMTP handshake — is that port a Locust master?`;
}

export function describeTimeout(where: string, tcpConnected: boolean, ms: number): string {
  return tcpConnected
    ? `${where} did not complete the ZMTP handshake within ${ms} ms — is that port a Locust master?`
    : `could not connect to ${where} within ${ms} ms`;
}
