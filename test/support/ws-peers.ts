// WebSocket servers nobody here wrote, on 127.0.0.1 and a free port: Python's `websockets`
// (test/peers/ws_server.py on it; scripts/lib/venv-websockets.sh makes its venv) and
// gorilla/websocket's own echo example (scripts/lib/go-websocket.sh builds it from the module proxy).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { systemClock } from "../../src/clock.ts";
import { UserSockets } from "../../src/websocket/index.ts";
import { recordingRecorder } from "./fakes.ts";
import { freePort, type Proc, ROOT, startProc } from "./procs.ts";
import { waitFor } from "./wait.ts";

export interface WsPeer {
  /** "ws://127.0.0.1:PORT" */
  readonly url: string;
  /** "http://127.0.0.1:PORT", a host for relative URLs */
  readonly httpUrl: string;
  readonly port: number;
  readonly proc: Proc;
  close(): Promise<void>;
}

const built = new Map<string, string>();
function plumbing(script: string): string {
  let out = built.get(script);
  if (out === undefined) {
    out = execFileSync(join(ROOT, "scripts/lib", script), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    built.set(script, out);
  }
  return out;
}

/**
 * test/peers/ws_server.py on Python's websockets; permessage-deflate on unless `compression: false`;
 * with `tls`, wss:// with that certificate (url and httpUrl are then wss://localhost and https://localhost).
 */
export async function startPythonWs(opts: { compression?: boolean; tls?: { cert: string; key: string } } = {}): Promise<WsPeer> {
  const python = plumbing("venv-websockets.sh");
  const port = await freePort();
  const args = [join(ROOT, "test/peers/ws_server.py"), String(port)];
  if (opts.compression === false) args.push("--no-compression");
  if (opts.tls !== undefined) args.push("--tls", opts.tls.cert, opts.tls.key);
  const peer = await started(startProc(python, args), port);
  return opts.tls === undefined ? peer : { ...peer, url: `wss://localhost:${port}`, httpUrl: `https://localhost:${port}` };
}

/** gorilla/websocket's examples/echo/server.go, unchanged: /echo echoes, every other path is a plain HTML page. */
export async function startGorillaEcho(): Promise<WsPeer> {
  const dir = plumbing("go-websocket.sh");
  const port = await freePort();
  return started(startProc(join(dir, "echo-server"), ["-addr", `127.0.0.1:${port}`]), port);
}

async function started(proc: Proc, port: number): Promise<WsPeer> {
  let exited = false;
  void proc.exited.then(() => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error(`the WebSocket peer exited at start:\n${proc.output()}`);
      return (await accepts(port)) ? true : undefined;
    },
    20_000,
    "the WebSocket peer to listen",
  );
  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    proc,
    close: async () => {
      proc.kill();
      await proc.exited;
    },
  };
}

async function accepts(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/** One user's WebSockets (UserSockets) aimed at `host`, recording into a recordingRecorder; its task is "t". */
export function wsUser(host: string | undefined, opts: { signal?: AbortSignal; rejectUnauthorized?: boolean; task?: string } = {}) {
  const recorder = recordingRecorder();
  const env = {
    recorder,
    clock: systemClock,
    host: () => host,
    task: () => ("task" in opts ? opts.task : "t"),
    rejectUnauthorized: opts.rejectUnauthorized ?? true,
  };
  return { recorder, sockets: new UserSockets(env, opts.signal) };
}
