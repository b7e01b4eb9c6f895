// The certificate files of the OTLP exporters' standard variables, read as the SDK's node:http
// configuration reads them (otlp-exporter-base): the signal's own variable first, then the
// general one, a relative path from the working directory. A file that cannot be read is said
// once, naming the variable, and left out, as the SDK leaves it out: the export then trusts the
// system's CAs (or sends no client certificate), and fails against a collector that needs it.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { FetchTls } from "../platform/fetch-tls.ts";

type Env = Readonly<Record<string, string | undefined>>;

const FILES = [
  ["ca", "CERTIFICATE", "the CA certificate to trust"],
  ["cert", "CLIENT_CERTIFICATE", "the client certificate"],
  ["key", "CLIENT_KEY", "the client certificate's key"],
] as const;

/** `signal`'s TLS files ("TRACES"), with a warning for each one set but unreadable. */
export function otlpTlsFiles(env: Env, signal: string, cwd = process.cwd()): { tls: FetchTls; warnings: string[] } {
  const tls: { -readonly [K in keyof FetchTls]: FetchTls[K] } = {};
  const warnings: string[] = [];
  for (const [field, suffix, what] of FILES) {
    const specific = `OTEL_EXPORTER_OTLP_${signal}_${suffix}`;
    const variable = env[specific] !== undefined ? specific : `OTEL_EXPORTER_OTLP_${suffix}`;
    const path = env[variable];
    if (path === undefined || path === "") continue;
    try {
      tls[field] = readFileSync(resolve(cwd, path));
    } catch (error) {
      const why = error instanceof Error && "code" in error ? String(error.code) : String(error);
      warnings.push(`${variable}=${path}: cannot read ${what} (${why}); ${signal.toLowerCase()} are exported without it`);
    }
  }
  return { tls, warnings };
}
