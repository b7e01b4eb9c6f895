// TLS for `fetch`: the OTLP span POST to an https: collector (otel/fetch-transport.ts). Bun's
// fetch takes the CA to trust, a client certificate and its key (its `tls` option, as node:https's
// agent takes them); standard fetch has no such option, so elsewhere (Deno) the caller keeps
// node:https. Deno's own `Deno.createHttpClient` would do, but its fetch (rustls) refuses a
// self-signed certificate given as its own CA (CaUsedAsEndEntity), the usual collector set-up in
// development, which node:https under Deno accepts (test/otel/collector.full.test.ts).
import { bun } from "./bun.ts";

/** PEM bytes, as the OTEL_EXPORTER_OTLP_*CERTIFICATE and *CLIENT_KEY files hold them. */
export interface FetchTls {
  /** Trusted instead of the system's CAs. */
  readonly ca?: Uint8Array;
  readonly cert?: Uint8Array;
  readonly key?: Uint8Array;
}

/** What to add to a `fetch` init for `tls`, or undefined where `fetch` cannot take it. */
export function fetchTlsInit(tls: FetchTls): RequestInit | undefined {
  if (!bun) return undefined;
  return { tls: { ...tls } } as RequestInit;
}
