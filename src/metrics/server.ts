// `--metrics-port`: serves GET /metrics in Prometheus text format (node:http, Bun and Deno).
import { LoadworkerError } from "../errors.ts";
import { CONTENT_TYPE, type MetricsSnapshot, formatPrometheus } from "./prometheus.ts";

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens before the worker starts, so a taken port is a usage error at once (exit 2). */
export async function serveMetrics(opts: { port: number; host: string; snapshot: () => MetricsSnapshot }): Promise<MetricsServer> {
  // node:http is loaded only with --metrics-port: imported, it costs every worker RSS.
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
    if (path !== "/metrics") return void res.writeHead(404, { "content-type": "text/plain" }).end("try GET /metrics\n");
    let body: string;
    try {
      body = formatPrometheus(opts.snapshot());
    } catch (error) {
      return void res.writeHead(500, { "content-type": "text/plain" }).end(`could not collect metrics: ${String(error)}\n`);
    }
    res.writeHead(200, { "content-type": CONTENT_TYPE, "content-length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  // A name or address that does not resolve is said so first: Bun's failed listen on one reports
  // whatever errno was left over (ENOTTY, or EADDRINUSE once another thread runs: the watchdog).
  const { lookup } = await import("node:dns/promises");
  await lookup(opts.host).catch((error: NodeJS.ErrnoException) => {
    throw new LoadworkerError("E_USAGE", notHere(opts.host, error.code ?? error.message));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const at = `--metrics-port ${opts.port} on ${opts.host}`;
      // Anything else is the address: not this machine's, or not an address at all (Bun says ENOTTY for 256.1.1.1).
      const message =
        error.code === "EADDRINUSE"
          ? `${at} is already in use; pick another port or stop what holds it`
          : error.code === "EACCES"
            ? `${at} may not be opened by this user; pick a port above 1023`
            : notHere(opts.host, error.code ?? error.message);
      reject(new LoadworkerError("E_USAGE", message));
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : opts.port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.(); // a scraper's keep-alive connection would hold close() open
      }),
  };
}

function notHere(host: string, why: string): string {
  return `--metrics-host ${host} cannot be listened on (${why}); give an address of this machine: 0.0.0.0 (every address) or 127.0.0.1 (this machine only)`;
}
