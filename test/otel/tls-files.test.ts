// The exporters' certificate variables are read as the SDK reads them: the signal's own variable
// before the general one, a relative path from the working directory; a file that cannot be read
// is named in a warning (variable, path, why) and left out.
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diag } from "@opentelemetry/api";
import { startSdk } from "../../src/otel/sdk.ts";
import { otelSettings } from "../../src/otel/settings.ts";
import { otlpTlsFiles } from "../../src/otel/tls-files.ts";
import { recordingLogger } from "../support/fakes.ts";
import { tempDir } from "../support/procs.ts";

const dir = tempDir("otlp-tls-files");
mkdirSync(join(dir, "certs"));
writeFileSync(join(dir, "certs/ca.pem"), "general CA");
writeFileSync(join(dir, "certs/traces-ca.pem"), "traces CA");
writeFileSync(join(dir, "certs/client.pem"), "client certificate");
writeFileSync(join(dir, "certs/client-key.pem"), "client key");
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

describe("otlpTlsFiles", () => {
  test("reads the signal's own variable before the general one, relative paths from the working directory", () => {
    const { tls, warnings } = otlpTlsFiles(
      {
        OTEL_EXPORTER_OTLP_CERTIFICATE: "certs/ca.pem",
        OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: "certs/traces-ca.pem",
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: join(dir, "certs/client.pem"),
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: "certs/client-key.pem",
      },
      "TRACES",
      dir,
    );
    expect(warnings).toEqual([]);
    expect([text(tls.ca), text(tls.cert), text(tls.key)]).toEqual(["traces CA", "client certificate", "client key"]);
    expect(text(otlpTlsFiles({ OTEL_EXPORTER_OTLP_CERTIFICATE: "certs/ca.pem" }, "LOGS", dir).tls.ca)).toBe("general CA");
  });

  test("no variable, no file: the system's CAs and no client certificate", () => {
    expect(otlpTlsFiles({}, "TRACES", dir)).toEqual({ tls: {}, warnings: [] });
  });

  test("a file that cannot be read is left out with a warning naming the variable, the path and why", () => {
    const { tls, warnings } = otlpTlsFiles(
      { OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: "certs/missing.pem", OTEL_EXPORTER_OTLP_CERTIFICATE: "certs/ca.pem" },
      "TRACES",
      dir,
    );
    expect(text(tls.ca)).toBe("general CA");
    expect(tls.key).toBeUndefined();
    expect(warnings).toEqual([
      "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY=certs/missing.pem: cannot read the client certificate's key (ENOENT); traces are exported without it",
    ]);
  });

  test("the worker's log says it when the SDK starts with an https: endpoint", async () => {
    const variables = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://127.0.0.1:9/v1/traces",
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: join(dir, "certs/missing-ca.pem"),
    };
    const saved = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
    Object.assign(process.env, variables);
    const log = recordingLogger();
    try {
      const settings = otelSettings({ OTEL_METRICS_EXPORTER: "none", OTEL_LOGS_EXPORTER: "none" });
      if (settings === undefined) throw new Error("traces alone should be exported");
      const sdk = startSdk({ settings, version: "0.0.0", filename: "tasks", profile: "", log });
      await sdk.shutdown();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      diag.disable();
    }
    expect(log.lines).toContainEqual({
      level: "warn",
      message: `OpenTelemetry: OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE=${variables.OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE}: cannot read the CA certificate to trust (ENOENT); traces are exported without it`,
    });
  });
});
