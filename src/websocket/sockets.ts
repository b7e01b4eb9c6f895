// One user's WebSockets: ctx.websocket opens them here, and the user's signal closes whatever is
// still open when the user stops or ends (no socket outlives its user).
import type { Clock } from "../clock.ts";
import { abortError } from "../http/errors.ts";
import type { Recorder } from "../stats/recorder.ts";
import { settingsOf, type WebSocketOptions } from "./options.ts";
import type { Owner } from "./calls.ts";
import { WebSocketConnection } from "./socket.ts";
import { namedEndpoint, resolveEndpoint } from "./url.ts";

export interface SocketsEnvironment {
  readonly recorder: Recorder;
  readonly clock: Clock;
  /** The user's target host, read at each connect (relative URLs go there). */
  host(): string | undefined;
  /** The user's current task, or undefined between tasks. */
  task(): string | undefined;
  /** The class's http.rejectUnauthorized, the default for wss://. */
  readonly rejectUnauthorized: boolean;
}

export class UserSockets implements Owner<WebSocketConnection> {
  private readonly open = new Set<WebSocketConnection>();
  readonly recorder: Recorder;
  readonly clock: Clock;

  constructor(
    private readonly env: SocketsEnvironment,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.recorder = env.recorder;
    this.clock = env.clock;
    signal?.addEventListener("abort", () => this.closeAll(signal.reason), { once: true });
  }

  /** Connects; resolves once the server switched protocols, rejects (recorded) when it did not. */
  connect(url: string, options?: WebSocketOptions): Promise<WebSocketConnection> {
    if (this.signal?.aborted) return Promise.reject(abortError(this.signal.reason));
    try {
      const endpoint = namedEndpoint(resolveEndpoint(url, this.env.host()), options?.name);
      const settings = settingsOf(options, this.env.rejectUnauthorized);
      const socket = new WebSocketConnection(endpoint, options?.name ?? endpoint.path, settings, this);
      this.open.add(socket);
      return socket.whenOpen();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes every socket at once (the user stopped); calls in flight reject unrecorded. */
  closeAll(reason?: unknown): void {
    for (const socket of [...this.open]) socket.destroy(reason);
  }

  /** Sockets connecting or open. */
  get size(): number {
    return this.open.size;
  }

  task(): string | undefined {
    return this.env.task();
  }

  ended(socket: WebSocketConnection): void {
    this.open.delete(socket);
  }
}
