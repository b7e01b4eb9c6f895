// go-httpbin (github.com/mccutchen/go-httpbin), a test peer nobody here wrote, on 127.0.0.1 and a
// free port. scripts/lib/go-httpbin.sh builds it once into .cache/ (scripts/test.sh --full calls it first).
import { execFileSync } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort, ROOT, startProc, type Proc } from "./procs.ts";
import { waitFor } from "./wait.ts";

export interface Httpbin {
  readonly url: string; // "http://127.0.0.1:PORT" or "https://localhost:PORT"
  readonly port: number;
  readonly proc: Proc;
  close(): Promise<void>;
}

let binary: string | undefined;

function goHttpbin(): string {
  binary ??= execFileSync(join(ROOT, "scripts/lib/go-httpbin.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return binary;
}

/** Starts go-httpbin; with `tls` it serves HTTPS with the cert and key given (a self-signed one for localhost). */
export async function startHttpbin(tls?: { cert: string; key: string }): Promise<Httpbin> {
  const port = await freePort();
  const args = ["-host", "127.0.0.1", "-port", String(port), "-log-level", "OFF", "-max-duration", "20s"];
  if (tls !== undefined) args.push("-https-cert-file", tls.cert, "-https-key-file", tls.key);
  const proc = startProc(goHttpbin(), args);
  let exited = false;
  void proc.exited.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`go-httpbin exited at start:\n${proc.output()}`);
      return (await accepts(port)) ? true : undefined;
    },
    10_000,
    "go-httpbin to listen",
  );
  const url = tls === undefined ? `http://127.0.0.1:${port}` : `https://localhost:${port}`;
  return {
    url,
    port,
    proc,
    close: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
