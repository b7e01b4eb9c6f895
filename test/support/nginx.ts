// Debian's nginx (scripts/lib/nginx.sh installs it), a server nobody here wrote, on 127.0.0.1 with
// a self-signed certificate made here: HTTP/2 over TLS (ALPN h2), h2c with prior knowledge, and
// plain HTTP/1.1. Its access log writes nginx's connection serial number ($connection) per
// request, so a test counts the connections the server saw.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, ROOT, startProc, tempDir, type Proc } from "./procs.ts";
import { waitFor } from "./wait.ts";

export interface Nginx {
  readonly tlsUrl: string; // https://127.0.0.1:P, h2 and http/1.1 by ALPN
  readonly h1TlsUrl: string; // https://127.0.0.1:P, http/1.1 only (no http2 on the listener)
  readonly h2cUrl: string; // http://127.0.0.1:P, HTTP/2 with prior knowledge
  readonly httpUrl: string; // http://127.0.0.1:P, HTTP/1.1
  readonly dir: string;
  readonly proc: Proc;
  /** The access log so far: one { path, connection, protocol, status } per request. */
  requests(): { path: string; connection: number; protocol: string; status: number }[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"],
      ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

/** Starts nginx; `locations` is extra config inside every server block; `certificate` replaces the self-signed one. */
export async function startNginx(locations = "", certificate?: { cert: string; key: string }): Promise<Nginx> {
  const nginx = execFileSync(join(ROOT, "scripts/lib/nginx.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const dir = tempDir("nginx-");
  chmodSync(dir, 0o755); // nginx's workers drop root: they read html/ as another user
  mkdirSync(join(dir, "html"));
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "html", "index.html"), "hello from nginx\n");
  const { cert, key } = certificate ?? selfSignedCert(dir);
  const [tls, h1Tls, h2c, http] = [await freePort(), await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1;
error_log ${dir}/logs/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  log_format conns '$request_uri $connection $server_protocol $status';
  access_log ${dir}/logs/access.log conns;
  keepalive_requests 100000;
  http2_max_concurrent_streams 128;
  ssl_certificate ${cert};
  ssl_certificate_key ${key};
  server {
    listen 127.0.0.1:${tls} ssl http2;
    listen 127.0.0.1:${h1Tls} ssl;
    listen 127.0.0.1:${h2c} http2;
    listen 127.0.0.1:${http};
    root ${dir}/html;
    ${locations}
  }
}
`,
  );
  const proc = startProc(nginx, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"]);
  let exited = false;
  void proc.exited.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`nginx exited at start:\n${proc.output()}`);
      const response = await fetch(`http://127.0.0.1:${http}/`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    10_000,
    "nginx to listen",
  );
  return {
    tlsUrl: `https://127.0.0.1:${tls}`,
    h1TlsUrl: `https://127.0.0.1:${h1Tls}`,
    h2cUrl: `http://127.0.0.1:${h2c}`,
    httpUrl: `http://127.0.0.1:${http}`,
    dir,
    proc,
    requests: () =>
      readFileSync(join(dir, "logs", "access.log"), "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => {
          const [path = "", connection = "", protocol = "", status = ""] = line.split(" ");
          return { path, connection: Number(connection), protocol, status: Number(status) };
        }),
    close: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}
