// The one place runtime code may use a Bun-only API (docs/ARCHITECTURE.md). A plain TCP byte
// socket for the HTTP client: under Bun, Bun.connect's native socket (a write is a syscall, a
// read a callback; no Node-stream emulation, which cost ~10% of a request's CPU in node:net);
// elsewhere (Deno) node:net. TLS stays on node:tls in both: it is not the hot path measured.
import { AsyncLocalStorage } from "node:async_hooks";
import { connect as netConnect, type Socket as NodeSocket } from "node:net";

export interface ByteSocketEvents {
  /** Bytes from the peer. The chunk is the receiver's to keep. */
  data(chunk: Uint8Array): void;
  /** The peer closed, or the socket closed for any reason; may come more than once. */
  end(): void;
  /** Connecting or the connection failed; `end` follows. */
  error(error: unknown): void;
}

export interface ByteSocket {
  /** Writes all of `bytes`, in order; what the kernel does not take at once is sent on drain. */
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet handed to the kernel. */
  readonly pending: number;
  /** Closes now; no event after this. */
  destroy(): void;
}

const bun = (globalThis as { Bun?: typeof Bun }).Bun;

/** A TCP connection to host:port with Nagle off (requests are small and latency is measured). */
export function connectTcp(host: string, port: number, events: ByteSocketEvents): ByteSocket {
  return bun && !process.env.LOADWORKER_NODE_NET ? new BunTcp(bun, host, port, events) : new NodeTcp(host, port, events);
}

/** Where a TLS byte socket goes and how it checks the peer (ALPN offers http/1.1 only). */
export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** SNI and the name the certificate must carry (none for an IP address). */
  readonly servername: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/** A TLS connection (node:tls under every runtime) with Nagle off, for the HTTP/1.1 and WebSocket clients. */
export function connectTls(target: TlsTarget, events: ByteSocketEvents): ByteSocket {
  // node:tls is loaded on the first TLS connection: imported, it costs every worker RSS.
  const socket = process.getBuiltinModule("node:tls").connect({ ...target, ALPNProtocols: ["http/1.1"] });
  socket.setNoDelay(true);
  socket.on("data", (chunk: Uint8Array) => events.data(chunk));
  socket.on("end", () => events.end());
  socket.on("close", () => events.end());
  socket.on("error", (error: unknown) => events.error(error));
  return {
    write: (bytes) => void socket.write(bytes),
    get pending() {
      return socket.writableLength;
    },
    destroy: () => void socket.destroy(),
  };
}

class NodeTcp implements ByteSocket {
  private readonly socket: NodeSocket;
  constructor(host: string, port: number, events: ByteSocketEvents) {
    this.socket = netConnect({ host, port });
    this.socket.setNoDelay(true);
    this.socket.on("data", (chunk: Uint8Array) => events.data(chunk));
    this.socket.on("end", () => events.end());
    this.socket.on("close", () => events.end());
    this.socket.on("error", (error: unknown) => events.error(error));
  }
  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }
  get pending(): number {
    return this.socket.writableLength;
  }
  destroy(): void {
    this.socket.destroy();
  }
}

type BunSocket = Bun.Socket<BunTcp>;

// One handler object for every socket (each socket's BunTcp is its `data`): per-socket closures
// were a tenth of an idle user's heap.
const BUN_HANDLERS: Bun.SocketHandler<BunTcp> = {
  open: (socket) => socket.data.opened(socket),
  data: (socket, chunk) => socket.data.received(chunk),
  drain: (socket) => socket.data.flush(),
  end: (socket) => socket.data.ended(),
  close: (socket) => socket.data.ended(),
  error: (socket, error) => socket.data.failed(error),
  connectError: (socket, error) => socket.data.failed(error),
};

// Bun wraps each of a socket's handlers in the async context it is opened in: 8 frames per
// socket, most of an idle user's async-context cost. The handlers hand bytes to the connection,
// whose awaiting caller resumes in its own context anyway, and the client records a response
// under the task its call started in (HttpClientOptions.user), not the current one: open outside any.
const outsideAsyncContext = AsyncLocalStorage.snapshot();

class BunTcp implements ByteSocket {
  private socket: BunSocket | undefined;
  private queue: Uint8Array[] | undefined; // written before the connection opened, or not taken by the kernel
  private queued = 0;
  private closed = false;

  constructor(
    runtime: typeof Bun,
    host: string,
    port: number,
    private readonly events: ByteSocketEvents,
  ) {
    outsideAsyncContext(() =>
      runtime.connect({ hostname: host, port, data: this, socket: BUN_HANDLERS }).catch((error: unknown) => this.failed(error)),
    );
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    if (this.socket === undefined || this.queued > 0) return this.enqueue(bytes);
    const sent = this.socket.write(bytes);
    if (sent < bytes.length) this.enqueue(bytes.subarray(Math.max(0, sent)));
  }

  get pending(): number {
    return this.queued;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = undefined;
    this.queued = 0;
    this.socket?.terminate();
  }

  opened(socket: BunSocket): void {
    if (this.closed) return socket.terminate();
    this.socket = socket;
    socket.setNoDelay(true);
    this.flush();
  }

  received(chunk: Uint8Array): void {
    if (!this.closed) this.events.data(chunk);
  }

  flush(): void {
    const socket = this.socket;
    const queue = this.queue;
    if (socket === undefined || queue === undefined) return;
    while (queue.length > 0) {
      const head = queue[0] as Uint8Array;
      const sent = socket.write(head);
      if (sent < 0) return; // closed: close/error follow
      this.queued -= Math.max(0, sent);
      if (sent < head.length) {
        queue[0] = head.subarray(sent);
        return; // the kernel is full: drain calls again
      }
      queue.shift();
    }
  }

  ended(): void {
    if (!this.closed) this.events.end();
  }

  failed(error: unknown): void {
    if (!this.closed) this.events.error(error);
  }

  private enqueue(bytes: Uint8Array): void {
    this.queue ??= [];
    this.queue.push(bytes);
    this.queued += bytes.length;
  }
}

/**
 * Makes `import … from name` resolve to `exports` in every module loaded after this call (task
 * files read from disk by `--tasks`: in the compiled binary there is no node_modules to find
 * "loadworker" in, and outside a project neither). Bun only; elsewhere returns false and the
 * runtime resolves the name itself (Deno: an import map or an `npm:` specifier).
 */
export function provideModule(name: string, exports: Record<string, unknown>): boolean {
  if (!bun) return false;
  bun.plugin({ name: `module ${name}`, setup: (build) => void build.module(name, () => ({ exports, loader: "object" })) });
  return true;
}

export interface CompileOptions {
  entry: string;
  outfile: string;
  bytecode: boolean;
  minify: boolean;
  /** Bare import → file: "loadworker" in a task file is the runtime being compiled in. */
  aliases: Record<string, string>;
}

/** Compiles `entry` into one executable with Bun (`bun build --compile`); resolves with Bun's messages when it fails. */
export async function compileExecutable(options: CompileOptions): Promise<{ ok: true } | { ok: false; messages: string[] }> {
  if (!bun) return { ok: false, messages: ["compiling needs Bun: run `npx loadworker build` (the npm package brings Bun)"] };
  const result = await bun.build({
    entrypoints: [options.entry],
    compile: { outfile: options.outfile },
    // Bytecode halves start-up (bench/workers/README.md); it needs ESM for the entry's top-level await.
    ...(options.bytecode ? { bytecode: true, format: "esm" as const } : {}),
    minify: options.minify,
    // The map rides inside the binary and Bun maps Error.stack with it: a task's exception names its .ts file and line.
    sourcemap: "inline",
    plugins: [
      {
        name: "aliases",
        setup: (build) => {
          for (const [name, path] of Object.entries(options.aliases)) {
            build.onResolve({ filter: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }, () => ({ path }));
          }
        },
      },
    ],
    throw: false,
  });
  return result.success ? { ok: true } : { ok: false, messages: result.logs.map(buildMessage) };
}

// Bun's build log says what and where separately; one line as compilers write it: file:line:column: message.
function buildMessage(log: {
  message: string;
  position?: { file: string; line: number; column: number; lineText: string } | null;
}): string {
  const at = log.position;
  if (!at) return log.message;
  return `${at.file}:${at.line}:${at.column + 1}: ${log.message}${at.lineText ? `\n    ${at.lineText.trim()}` : ""}`;
}
