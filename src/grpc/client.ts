// A user's gRPC client: one channel (one HTTP/2 connection) per target, shared by every service
// the user calls there, cancelled with the user's kill and closed when the user ends.
import { type ChannelCredentials, Client, credentials, Metadata } from "@grpc/grpc-js";
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type CallHost, type CallSettings, serverStreamCall, unaryCall } from "./call.ts";
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
}

// Each call is one attempt, as a load test counts it: grpc-js would otherwise retry some failures
// on its own (transparent retries), hiding them from the stats.
const CHANNEL_OPTIONS = { "grpc.enable_retries": 0 };

export class GrpcClient implements CallHost {
  readonly recorder: Recorder;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  readonly calls = new Set<{ cancel(): void }>();
  private readonly channels = new Map<string, Client>();
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

  /** Cancels the calls in flight; they reject with an AbortError and are not recorded. */
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
  channel(target: string | undefined): Client {
    if (this.isClosed) throw closedError();
    if (target === undefined || target === "")
      throw new GrpcError(
        "EINVALIDOPTION",
        `no gRPC target: pass ctx.grpc(service, { proto, target: "host:port" }) or set the host (--host)`,
      );
    let channel = this.channels.get(target);
    if (channel === undefined) {
      const { address, creds } = parseTarget(target);
      channel = new Client(address, creds, CHANNEL_OPTIONS);
      this.channels.set(target, channel);
    }
    return channel;
  }
}

/** A service's settings on one channel: what a stub's methods call. */
class Service implements StubTarget {
  private readonly deadlineMs: number | undefined;
  constructor(
    private readonly client: GrpcClient,
    private readonly channel: Client,
    private readonly options: GrpcServiceOptions,
  ) {
    this.deadlineMs = checkDeadline(options.deadlineMs);
  }

  call(method: Method, request: unknown, options: GrpcStreamOptions | undefined): Promise<GrpcResult> {
    try {
      const deadlineMs = options?.deadlineMs === undefined ? this.deadlineMs : checkDeadline(options.deadlineMs);
      const settings: CallSettings = {
        name: options?.name ?? method.path,
        metadata: toMetadata(this.options.metadata, options?.metadata),
        deadline: deadlineMs === undefined ? undefined : Date.now() + deadlineMs,
        deadlineMs,
      };
      if (this.client.closed) throw closedError();
      if (this.client.signal?.aborted) throw abortError();
      return method.responseStream
        ? serverStreamCall(this.client, this.channel, method, request, settings, options?.onMessage)
        : unaryCall(this.client, this.channel, method, request, settings);
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

function toMetadata(service: GrpcMetadata | undefined, call: GrpcMetadata | undefined): Metadata | undefined {
  if (service === undefined && call === undefined) return undefined;
  const metadata = new Metadata();
  for (const [key, value] of Object.entries({ ...service, ...call })) {
    for (const one of Array.isArray(value) ? value : [value])
      metadata.add(key, typeof one === "string" ? one : Buffer.from(one as Uint8Array));
  }
  return metadata;
}

function parseTarget(target: string): { address: string; creds: ChannelCredentials } {
  if (!/^https?:\/\//i.test(target)) return { address: target, creds: credentials.createInsecure() };
  const url = new URL(target);
  const tls = url.protocol === "https:";
  const port = url.port || (tls ? "443" : "80");
  return { address: `${url.hostname}:${port}`, creds: tls ? credentials.createSsl() : credentials.createInsecure() };
}

function closedError(): GrpcError {
  return new GrpcError("ECLOSED", "a gRPC call after the user's channels were closed (the user has ended)");
}

function abortError(): Error {
  const error = new Error("the gRPC call was not started: the user was stopped");
  error.name = "AbortError";
  return error;
}
