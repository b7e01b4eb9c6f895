// What a running task can use (ctx): one per simulated user, made by users/context.ts. Task
// files name it through definitions.ts, which re-exports it.
import type { GrpcService, GrpcServiceOptions } from "../grpc/index.ts";
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { WebSocketConnection, WebSocketOptions } from "../websocket/index.ts";

/** Everything a running task can use; one per simulated user. */
export interface UserContext<S = Record<string, unknown>> {
  /** Unique per worker process, starting at 1. */
  readonly userId: number;
  /** The user class this user runs as, by the master's name. */
  readonly userClass: string;
  /** Target host from the master (`--host` / web UI) or `--host`; undefined when unset. */
  readonly host: string | undefined;
  /** This worker's index from the master's ack (0 when running without a master). */
  readonly workerIndex: number;
  /** The master's parsed command-line options (custom locustfile options included). */
  readonly parsedOptions: Readonly<Record<string, unknown>>;
  /** Aborted when this user is stopped: pass it to anything that can wait. */
  readonly signal: AbortSignal;
  /** HTTP client bound to this user: keep-alive connections, records every request. */
  readonly client: HttpClient;
  /**
   * A gRPC service on this user's channel to `target` (one HTTP/2 connection per target, closed
   * when the user ends): `ctx.grpc("helloworld.Greeter", { proto: "helloworld.proto", target })`.
   * Each method is a recorded call (request type `gRPC`, name `/package.Service/Method`) that
   * resolves with a GrpcResult; a non-OK status is a failure, returned, not thrown. Give the
   * service's type for typed calls: `ctx.grpc<Greeter>(…)` with `SayHello: GrpcUnary<Req, Res>`.
   */
  grpc<S = GrpcService>(service: string, options: GrpcServiceOptions): S;
  /** Per-user state, made by the user class's `state()` factory. */
  state: S;
  /** Sleeps, waking early (rejecting) when the user is stopped. */
  sleep(seconds: number): Promise<void>;
  /** Records a request of your own (Locust's `events.request.fire`); from a task after its user was killed, not counted. */
  recordSuccess(requestType: string, name: string, ms: number, length: number): void;
  /** Records a failed request of your own; from a task after its user was killed, not counted. */
  recordFailure(requestType: string, name: string, ms: number, error: unknown): void;
  /**
   * Sends a custom message to the master (Locust's `runner.send_message`); a master.py handler
   * registered with `environment.runner.register_message(type, fn)` receives it.
   */
  sendMessage(type: string, data?: unknown): void;
  /** Ends this user now, as Locust's `raise StopUser()`: onStop runs, the user is not replaced. */
  stopUser(): never;
  /** Ends the current task early without a failure, as Locust's `raise RescheduleTask()`. */
  rescheduleTask(): never;
  /**
   * Opens a WebSocket (relative URLs go to the host; http→ws, https→wss) that records itself:
   * the connect (WS-conn), each `request` round trip (WS), and every other message sent
   * (WS-send) or received (WS-recv). A failure is recorded, then thrown as a WebSocketError that
   * ends the task quietly. The socket closes when the user stops. See docs/websocket.md.
   */
  websocket(url: string, options?: WebSocketOptions): Promise<WebSocketConnection>;
  readonly log: Logger;
}
