// The public shapes of ctx.grpc: what a task passes and what a call returns.

// biome-ignore lint/suspicious/noExplicitAny: a message whose type the task did not give (the .proto is read at run time)
type Untyped = any;

/** Request metadata: a key ending in `-bin` takes bytes; an array sends the key once per value. */
export type GrpcMetadata = Readonly<Record<string, string | Uint8Array | ReadonlyArray<string | Uint8Array>>>;

/** Per-call settings; each overrides the service's own (`ctx.grpc(service, { deadlineMs, metadata })`). */
export interface GrpcCallOptions {
  /** The call's deadline, in ms from its start; 0 or Infinity: none (the default). Past it: DEADLINE_EXCEEDED. */
  deadlineMs?: number;
  /** Request metadata (gRPC's headers). */
  metadata?: GrpcMetadata;
  /** The name the stats record instead of `/package.Service/Method`. */
  name?: string;
}

/** A server-streaming call's settings. */
export interface GrpcStreamOptions<Res = Untyped> extends GrpcCallOptions {
  /** Called with each message as it arrives; the result's `messages` then stays empty (nothing kept). */
  onMessage?: (message: Res) => void;
}

/** How to reach a service (`ctx.grpc("helloworld.Greeter", { proto: "helloworld.proto", target })`). */
export interface GrpcServiceOptions extends Omit<GrpcCallOptions, "name"> {
  /**
   * The .proto that declares the service: its path from the task folder, subfolders included (carried into the
   * compiled binary), or a path or file: URL read from disk when it is not one of those.
   */
  proto: string | URL;
  /**
   * `host:port` (plaintext), `http://host:port`, or `https://host[:port]` (TLS, the system's
   * roots). Default: the user's host (the master's or `--host`).
   */
  target?: string;
}

/** What a call returns; a non-OK status is recorded as a failure and returned, never thrown. */
export interface GrpcResult<Res = Untyped> {
  /** status === "OK" */
  readonly ok: boolean;
  /** The gRPC status code: 0 OK, 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, … */
  readonly code: number;
  /** The status code's name, e.g. "OK", "NOT_FOUND", "DEADLINE_EXCEEDED". */
  readonly status: string;
  /** The status message ("" when OK). */
  readonly details: string;
  /** The reply of a unary call; the last message of a stream. */
  readonly message: Res | undefined;
  /** Every message received, in order (a unary call: its reply; a stream with onMessage: none kept). */
  readonly messages: Res[];
  /** Messages received. */
  readonly count: number;
  /** Bytes of the messages received (protobuf-encoded): the length the stats record. */
  readonly bytes: number;
  /** From the call's start to its status, in ms: the response time the stats record. */
  readonly ms: number;
  /** From the call's start to its first message, in ms; undefined when none came. */
  readonly firstMessageMs: number | undefined;
}

/** A unary method, for typing a service: `interface Greeter { SayHello: GrpcUnary<HelloRequest, HelloReply> }`. */
export type GrpcUnary<Req = Untyped, Res = Untyped> = (request: Req, options?: GrpcCallOptions) => Promise<GrpcResult<Res>>;

/** A server-streaming method, for typing a service. */
export type GrpcServerStream<Req = Untyped, Res = Untyped> = (request: Req, options?: GrpcStreamOptions<Res>) => Promise<GrpcResult<Res>>;

/** A service as `ctx.grpc` returns it when no type is given: any method, any message. */
export type GrpcService = Readonly<Record<string, GrpcServerStream<Record<string, unknown>, Untyped>>>;
