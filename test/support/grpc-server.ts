// The gRPC client's test peer: test/peers/grpc_server.py on grpcio (scripts/lib/venv-grpcio.sh
// makes its venv once), serving helloworld.Greeter and routeguide.RouteGuide on 127.0.0.1.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, startProc, type Proc } from "./procs.ts";
import { waitFor } from "./wait.ts";

export const GRPC_TASKS = join(ROOT, "test/grpc/tasks");

export interface GrpcServer {
  /** "127.0.0.1:PORT" */
  readonly target: string;
  readonly proc: Proc;
  /** The calls the server finished, from its log: method → status → count and bytes sent. */
  calls(): Map<string, Map<string, { count: number; bytes: number }>>;
  close(): Promise<void>;
}

let python: string | undefined;

function grpcioPython(): string {
  python ??= execFileSync(join(ROOT, "scripts/lib/venv-grpcio.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return python;
}

/**
 * `protoDir`: where helloworld.proto and route_guide.proto are (default: the tests' tasks);
 * `tls`: PEM files to serve TLS with.
 */
export async function startGrpcServer(protoDir = GRPC_TASKS, tls?: { cert: string; key: string }): Promise<GrpcServer> {
  const args = [join(ROOT, "test/peers/grpc_server.py"), protoDir, ...(tls === undefined ? [] : [tls.cert, tls.key])];
  const proc = startProc(grpcioPython(), args);
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const port = await waitFor(
    () => (exited ? "exited" : /^listening (\d+)$/m.exec(proc.output())?.[1]),
    30_000,
    "the grpcio server to listen",
  );
  if (port === "exited") throw new Error(`the grpcio server exited at start:\n${proc.output()}`);
  return {
    target: `127.0.0.1:${port}`,
    proc,
    calls: () => {
      const calls = new Map<string, Map<string, { count: number; bytes: number }>>();
      for (const [, method, code, bytes] of proc.output().matchAll(/^call (\S+) (\S+) (\d+)$/gm)) {
        const byCode = calls.get(method as string) ?? new Map<string, { count: number; bytes: number }>();
        calls.set(method as string, byCode);
        const seen = byCode.get(code as string) ?? { count: 0, bytes: 0 };
        byCode.set(code as string, { count: seen.count + 1, bytes: seen.bytes + Number(bytes) });
      }
      return calls;
    },
    close: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}
