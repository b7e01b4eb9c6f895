// An HTTP server on loopback that stalls: for `stallMs` out of every `periodMs` (from its start),
// each request that arrives is answered `stallMs` after it arrived; the rest at once. It logs the
// arrival time (epoch ms) of every request, so a test can count what was started each second,
// whatever the answers did.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface StallServer {
  readonly url: string;
  /** Epoch ms of every request's arrival, in order. */
  readonly arrivals: number[];
  /** The path of every request, in the same order. */
  readonly paths: string[];
  /** Epoch ms at which the stall periods are counted from. */
  readonly startedAt: number;
  close(): Promise<void>;
}

export async function stallServer(opts: { stallMs: number; periodMs: number; firstStallAfterMs?: number }): Promise<StallServer> {
  const arrivals: number[] = [];
  const paths: string[] = [];
  const startedAt = Date.now();
  const offset = opts.firstStallAfterMs ?? opts.periodMs - opts.stallMs;
  const stalled = (at: number) => {
    const phase = (((at - startedAt - offset) % opts.periodMs) + opts.periodMs) % opts.periodMs;
    return at - startedAt >= offset && phase < opts.stallMs;
  };
  const server = createServer((req, res) => {
    const at = Date.now();
    arrivals.push(at);
    paths.push(req.url ?? "");
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(200, { "content-type": "text/plain", "content-length": 3 });
      res.end("ok\n");
    };
    req.resume();
    if (stalled(at)) setTimeout(answer, opts.stallMs);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    paths,
    startedAt,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** Arrivals per whole second from `from` (epoch ms) to `to`: [count in [from, from+1s), …]. */
export function perSecond(arrivals: readonly number[], from: number, to: number): number[] {
  const counts = new Array<number>(Math.max(0, Math.floor((to - from) / 1000))).fill(0);
  for (const at of arrivals) {
    const i = Math.floor((at - from) / 1000);
    if (i >= 0 && i < counts.length) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}
