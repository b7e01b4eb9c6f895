// Builds the per-user context that tasks receive; shared by the pool and --run-tasks.
import { systemClock, type Clock } from "../clock.ts";
import { GrpcClient, ProtoFiles } from "../grpc/index.ts";
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import { RescheduleTask, StopUser } from "../api/control.ts";
import type { AnyUserDefinition, UserContext } from "../api/definitions.ts";
import { UserSockets } from "../websocket/index.ts";
import { sleep } from "./sleep.ts";
import type { SleepQueue } from "./sleep-queue.ts";

export interface ContextEnvironment {
  /** The spawn's host (null: none); without a master, absent. */
  masterHost?: string | null;
  /** This process's --host (or LOADWORKER_HOST): the host when nothing else gives one (target-host.ts). */
  host: string | undefined;
  workerIndex: number;
  parsedOptions: Readonly<Record<string, unknown>>;
}

export interface ContextParts {
  userId: number;
  className: string;
  def: AnyUserDefinition;
  /** Read on every access, so a host the master changes reaches running users. */
  env: () => ContextEnvironment;
  client: HttpClient;
  signal: AbortSignal;
  recorder: Recorder;
  log: Logger;
  /** The user's target host (target-host.ts), read on every access: the master may change it. */
  host: () => string | undefined;
  /** Custom messages to the master; absent without one (--run-tasks). */
  sendMessage?: (type: string, data: unknown) => void;
  /** The pool's sleeps on one timer; without it, a timer per sleep. */
  sleeps?: SleepQueue;
  /** The user's current task (WebSocket messages recorded from socket events name it). */
  activity?: { readonly task: string | null };
  /** Reports latency (WebSocket and gRPC rows); default the system clock. */
  clock?: Clock;
  /** The plan's .proto files, which ctx.grpc finds by name. */
  protos?: ProtoFiles;
}

export function createUserContext(parts: ContextParts): UserContext<unknown> {
  return new Context(parts);
}

/** Closes the WebSockets a user's tasks left open and its gRPC channels (the user ended). */
export function closeConnections(ctx: UserContext<unknown>): void {
  if (ctx instanceof Context) ctx.closeConnections();
}

type Bound = Pick<
  UserContext<unknown>,
  "sleep" | "recordSuccess" | "recordFailure" | "sendMessage" | "stopUser" | "rescheduleTask" | "websocket" | "grpc"
>;

// A class, so the getters live on the prototype; the functions are bound on first use (tasks
// destructure them: `({ sleep }) => sleep(1)`), so an idle user holds none of them.
class Context implements UserContext<unknown> {
  readonly userId: number;
  readonly userClass: string;
  readonly signal: AbortSignal;
  readonly client: HttpClient;
  readonly log: Logger;
  state: unknown;
  private readonly parts: ContextParts;
  private bound: Bound | undefined;
  private userSockets: UserSockets | undefined;
  private grpcClient: GrpcClient | undefined; // made by the first ctx.grpc: most users have none

  constructor(parts: ContextParts) {
    this.userId = parts.userId;
    this.userClass = parts.className;
    this.signal = parts.signal;
    this.client = parts.client;
    this.log = parts.log;
    this.parts = parts;
    this.state = parts.def.state ? parts.def.state() : {};
  }

  get host(): string | undefined {
    return this.parts.host();
  }
  get workerIndex(): number {
    return this.parts.env().workerIndex;
  }
  get parsedOptions(): Readonly<Record<string, unknown>> {
    return this.parts.env().parsedOptions;
  }
  get sleep(): Bound["sleep"] {
    return this.functions().sleep;
  }
  get recordSuccess(): Bound["recordSuccess"] {
    return this.functions().recordSuccess;
  }
  get recordFailure(): Bound["recordFailure"] {
    return this.functions().recordFailure;
  }
  get sendMessage(): Bound["sendMessage"] {
    return this.functions().sendMessage;
  }
  get stopUser(): Bound["stopUser"] {
    return this.functions().stopUser;
  }
  get rescheduleTask(): Bound["rescheduleTask"] {
    return this.functions().rescheduleTask;
  }
  get websocket(): Bound["websocket"] {
    return this.functions().websocket;
  }

  get grpc(): Bound["grpc"] {
    return this.functions().grpc;
  }

  closeConnections(): void {
    this.userSockets?.closeAll();
    this.grpcClient?.close();
  }

  private grpcChannels(): GrpcClient {
    const { parts } = this;
    const { recorder, clock, protos } = parts;
    this.grpcClient ??= new GrpcClient({
      recorder,
      clock: clock ?? systemClock,
      protos: protos ?? new ProtoFiles(),
      signal: this.signal,
      host: () => this.host,
      rejectUnauthorized: parts.def.http?.rejectUnauthorized ?? true,
    });
    return this.grpcClient;
  }

  // Made on the first ctx.websocket call: a user that opens none holds nothing for them.
  private sockets(): UserSockets {
    const { parts } = this;
    const activity = parts.activity;
    if (this.userSockets !== undefined) return this.userSockets;
    const env = {
      recorder: parts.recorder,
      clock: parts.clock ?? systemClock,
      host: () => this.host,
      task: () => activity?.task ?? undefined,
      rejectUnauthorized: parts.def.http?.rejectUnauthorized ?? true,
    };
    this.userSockets = new UserSockets(env, this.signal);
    return this.userSockets;
  }

  // A killed task's own records count no more than its requests do (its client refuses them): a
  // task that ignores ctx.signal may outlive its test and would count in the next one. onStop may record.
  private killedInTask(): boolean {
    return this.signal.aborted && (this.parts.activity?.task ?? null) !== null;
  }

  private functions(): Bound {
    const { signal, parts } = this;
    const { recorder, sleeps } = parts;
    this.bound ??= {
      sleep: (seconds: number) => (sleeps ? sleeps.sleep(seconds * 1000, signal) : sleep(seconds * 1000, signal)),
      recordSuccess: (type, name, ms, length) => {
        if (!this.killedInTask()) recorder.success(type, name, ms, length);
      },
      recordFailure: (type, name, ms, error) => {
        if (!this.killedInTask()) recorder.failure(type, name, ms, error);
      },
      sendMessage: (type, data) => parts.sendMessage?.(type, data),
      stopUser: () => {
        throw new StopUser();
      },
      rescheduleTask: () => {
        throw new RescheduleTask();
      },
      websocket: (url, options) => this.sockets().connect(url, options),
      grpc: (service, options) => this.grpcChannels().service(service, options),
    };
    return this.bound;
  }
}
