// A user's gRPC client: one channel (one HTTP/2 connection) per target, shared by every service
// the user calls there, cancelled with the user's kill and closed when the user ends.
import type { OutgoingHttpHeaders } from "node:http2";
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type CallHost, type CallSettings, grpcCall, methodHeaders } from "./call.ts";
import { Channel } from "./channel.ts";
import { GrpcError } from "./errors.ts";
import type { Method } from "./proto.ts";
import type { ProtoFiles } from "./protos.ts";
import { type StubTarget, TARGET } from "./stub.ts";
import type { GrpcMetadata, GrpcResult, GrpcService, GrpcServiceOptions, GrpcStreamOptions } from "./types.ts";

export interface GrpcClientOptions {
  recorder: Recorder;
  clock: Clock;
  protos: ProtoFiles;
  /** The user's kill: aborts the calls in flight (not recorded); the client stays usable for onStop. */
  signal?: AbortSignal;
  /** The user's host, the default target. */
  host?: () => string | undefined;
  /** Verify the server's TLS certificate (https:// targets); default true. */
  rejectUnauthorized?: boolean;
  /** How long a new connection may go without the server's HTTP/2 settings; default 20 s (gRPC's). */
  connectTimeoutMs?: number;
}

export class GrpcClient implements CallHost {
  readonly recorder: Recorder;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  readonly calls = new Set<{ cancel(): void }>();
  private readonly channels = new Map<string, Channel>();
  private isClosed = false;

  constructor(private readonly opts: GrpcClientOptions) {
    this.recorder = opts.recorder;
    this.clock = opts.clock;
    this.signal = opts.signal;
    this.signal?.addEventListener("abort", this.interrupt, { once: true });
  }

  /** `ctx.grpc`: the service's methods, each a recorded call. */
  service<S = GrpcService>(service: string, options: GrpcServiceOptions): S {
    if (typeof options?.proto !== "string" && !(options?.proto instanceof URL))
      throw new GrpcError("EINVALIDOPTION", `ctx.grpc(${JSON.stringify(service)}, { proto }) needs proto: the .proto file's name`);
    const methods = this.opts.protos.methods(options.proto, service);
    const stub = Object.create(this.opts.protos.prototype(service, methods)) as Record<symbol, StubTarget>;
    stub[TARGET] = new Service(this, this.channel(options.target ?? this.opts.host?.()), options);
    return stub as S;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Open channels (one per target). */
  get channelCount(): number {
    return this.channels.size;
  }

  /** Cancels the calls in flight; after a kill they reject with an AbortError and are not recorded. */
  readonly interrupt = (): void => {
    for (const call of [...this.calls]) call.cancel();
  };

  /** Cancels what is in flight and closes every channel; a later call throws ECLOSED. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.signal?.removeEventListener("abort", this.interrupt);
    this.interrupt();
    for (const channel of this.channels.values()) channel.close();
    this.channels.clear();
  }

  /** @internal */
  channel(target: string | undefined): Channel {
    if (this.isClosed) throw closedError();
    if (target === undefined || target === "")
      throw new GrpcError(
        "EINVALIDOPTION",
        `no gRPC target: pass ctx.grpc(service, { proto, target: "host:port" }) or set the host (--host)`,
      );
    let channel = this.channels.get(target);
    if (channel === undefined) {
      channel = new Channel(authority(target), this.opts.rejectUnauthorized ?? true, this.opts.connectTimeoutMs);
      this.channels.set(target, channel);
    }
    return channel;
  }
}

/** A service's settings on one channel: what a stub's methods call. */
class Service implements StubTarget {
  private readonly deadlineMs: number | undefined;
  private readonly headers = new Map<Method, OutgoingHttpHeaders>(); // per method, with the service's metadata

  constructor(
    private readonly client: GrpcClient,
    private readonly channel: Channel,
    private readonly options: GrpcServiceOptions,
  ) {
    this.deadlineMs = checkDeadline(options.deadlineMs);
  }

  call(method: Method, request: unknown, options: GrpcStreamOptions | undefined): Promise<GrpcResult> {
    try {
      if (this.client.closed) throw closedError();
      if (this.client.signal?.aborted) throw abortError();
      let headers = this.headers.get(method);
      if (headers === undefined) {
        headers = withMetadata(methodHeaders(method), this.options.metadata);
        this.headers.set(method, headers);
      }
      const settings: CallSettings = {
        name: options?.name ?? method.path,
        headers: options?.metadata === undefined ? headers : withMetadata({ ...headers }, options.metadata),
        deadlineMs: options?.deadlineMs === undefined ? this.deadlineMs : checkDeadline(options.deadlineMs),
        onMessage: method.responseStream ? options?.onMessage : undefined,
      };
      return grpcCall(this.client, this.channel, method, request, settings);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function checkDeadline(ms: number | undefined): number | undefined {
  if (ms === undefined || ms === 0 || ms === Number.POSITIVE_INFINITY) return undefined;
  if (typeof ms !== "number" || !(ms > 0))
    throw new GrpcError("EINVALIDOPTION", `deadlineMs must be a number of milliseconds > 0 (0 or Infinity for none), not ${String(ms)}`);
  return ms;
}

// Metadata are HTTP/2 headers: keys in lower case, a `-bin` key's bytes in base64.
function withMetadata(headers: OutgoingHttpHeaders, metadata: GrpcMetadata | undefined): OutgoingHttpHeaders {
  for (const [name, value] of Object.entries(metadata ?? {})) {
    const key = name.toLowerCase();
    if (key.startsWith(":") || key === "content-type" || key === "te" || key.startsWith("grpc-"))
      throw new GrpcError("EINVALIDOPTION", `metadata key ${JSON.stringify(name)} is reserved by gRPC`);
    const text = (one: string | Uint8Array) => (typeof one === "string" ? one : Buffer.from(one).toString("base64"));
    headers[key] = Array.isArray(value) ? value.map(text) : text(value as string | Uint8Array);
  }
  return headers;
}

// "host:port" is plaintext (as grpc targets are); a URL says which with its scheme.
function authority(target: string): string {
  if (!/^https?:\/\//i.test(target)) return `http://${target}`;
  const url = new URL(target);
  return `${url.protocol}//${url.host}`;
}

function closedError(): GrpcError {
  return new GrpcError("ECLOSED", "a gRPC call after the user's channels were closed (the user has ended)");
}

function abortError(): Error {
  const error = new Error("the gRPC call was not started: the user was stopped");
  error.name = "AbortError";
  return error;
}
