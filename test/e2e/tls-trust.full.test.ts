// A target behind a private CA, served by nginx: trusting the CA by NODE_EXTRA_CA_CERTS works under
// Bun, Deno and in the compiled binary (what the ETLS hint tells a user to do), and the certificate
// failures a user meets say what is wrong: an untrusted issuer, a name the certificate is not for
// (naming the ones it is for), an expired certificate (Deno reports it as unverified).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunReport } from "../../src/standalone/report/json-report.ts";
import { type Nginx, startNginx } from "../support/nginx.ts";
import { privateCa } from "../support/private-ca.ts";
import { tempDir } from "../support/procs.ts";
import { type Runner, run, runBinary } from "../support/run-cli.ts";

const OK = 'location / { return 200 "ok\\n"; }';
let valid: Nginx;
let expired: Nginx;
let ca: string;
let binary: string;
beforeAll(async () => {
  const made = privateCa(tempDir("private-ca-"));
  ca = made.ca;
  valid = await startNginx(OK, made.valid);
  expired = await startNginx(OK, made.expired);
  binary = await runBinary();
}, 180_000);
afterAll(async () => {
  await valid?.close();
  await expired?.close();
});

const port = (url: string) => new URL(url).port;

// One second of the Shopper class (GET /items) against `host`; the JSON report's totals and error texts.
async function shop(runner: Runner, host: string, trusted: boolean) {
  const json = join(tempDir("tls-trust-"), "r.json");
  const result = await run(runner, ["-u", "1", "-r", "1", "-t", "1s", "--host", host, "--json", json, "Shopper"], {
    NODE_EXTRA_CA_CERTS: trusted ? ca : "",
  });
  expect(result.code).toBe(0);
  const report = JSON.parse(readFileSync(json, "utf8")) as RunReport;
  // Every failure is a request made: a run that made none proves nothing.
  expect(report.total.num_requests).toBeGreaterThan(0);
  return { requests: report.total.num_requests, failures: report.total.num_failures, errors: report.errors.map((e) => e.error) };
}

const RUNNERS: [string, () => Runner][] = [
  ["src/main.ts under Bun", () => ({ kind: "source" })],
  ["src/main.ts under Deno", () => ({ kind: "deno" })],
  ["the compiled binary", () => ({ kind: "binary", path: binary })],
];

describe.each(RUNNERS)("%s", (_, runner) => {
  test("trusts the private CA named by NODE_EXTRA_CA_CERTS: every request succeeds", async () => {
    const shopped = await shop(runner(), `https://localhost:${port(valid.tlsUrl)}`, true);
    expect(shopped.failures).toBe(0);
  }, 90_000);

  test("without it, fails every request with ETLS naming NODE_EXTRA_CA_CERTS", async () => {
    const shopped = await shop(runner(), `https://localhost:${port(valid.tlsUrl)}`, false);
    expect(shopped.failures).toBe(shopped.requests);
    expect(shopped.errors.join("\n")).toContain(
      `TLS handshake with localhost:${port(valid.tlsUrl)} failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE (the certificate could not be verified: its issuer is not trusted`,
    );
    expect(shopped.errors.join("\n")).toContain("trust the CA with NODE_EXTRA_CA_CERTS=<ca.pem> in the worker's environment");
  }, 90_000);

  test("an address the certificate is not for fails naming the names it is for", async () => {
    const shopped = await shop(runner(), valid.tlsUrl, true);
    expect(shopped.failures).toBe(shopped.requests);
    expect(shopped.errors.join("\n")).toContain(
      `TLS handshake with ${valid.tlsUrl.slice(8)} failed: ERR_TLS_CERT_ALTNAME_INVALID (the certificate is for DNS:localhost: use a name it lists, or set http: { rejectUnauthorized: false } for a test target)`,
    );
  }, 90_000);
});

describe("an expired certificate from a trusted CA", () => {
  const host = () => `https://localhost:${port(expired.tlsUrl)}`;

  test("under Bun and compiled, fails with CERT_HAS_EXPIRED and says to renew it", async () => {
    for (const runner of [{ kind: "source" } as const, { kind: "binary", path: binary } as const]) {
      const shopped = await shop(runner, host(), true);
      expect(shopped.failures).toBe(shopped.requests);
      expect(shopped.errors.join("\n")).toContain("failed: CERT_HAS_EXPIRED (the server's certificate has expired: renew it,");
    }
  }, 90_000);

  test("under Deno, whose node:tls calls it unverified, the hint names expiry too", async () => {
    const shopped = await shop({ kind: "deno" }, host(), true);
    expect(shopped.failures).toBe(shopped.requests);
    expect(shopped.errors.join("\n")).toContain("failed: UNABLE_TO_VERIFY_LEAF_SIGNATURE (the certificate could not be verified:");
    expect(shopped.errors.join("\n")).toContain("or under Deno it may have expired");
  }, 90_000);
});
