// The shapes a task file declares. define* are identity helpers that brand the value, so the
// build can collect every exported definition and user files get types for free.
import type { Logger } from "../log.ts";
import type { HttpClient, HttpClientOptions } from "../http/index.ts";
import type { WaitTime } from "./wait.ts";

export const DEFINITION = Symbol.for("loadworker.definition");

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
  /** Per-user state, made by the user class's `state()` factory. */
  state: S;
  /** Sleeps, waking early (rejecting) when the user is stopped. */
  sleep(seconds: number): Promise<void>;
  recordSuccess(requestType: string, name: string, ms: number, length: number): void;
  recordFailure(requestType: string, name: string, ms: number, error: unknown): void;
  readonly log: Logger;
}

/** Per-class settings of each user's HTTP client (the rest comes from the worker). */
export type UserHttpOptions = Pick<HttpClientOptions, "timeoutMs" | "maxBodyBytes" | "maxRedirects" | "rejectUnauthorized" | "headers" | "cookies" | "decompress">;

export type TaskFn<S = Record<string, unknown>> = (ctx: UserContext<S>) => unknown;

export interface TaskSpec<S = Record<string, unknown>> {
  /** Unique task name (also what `--run-tasks` takes). */
  name: string;
  /** Relative weight; defaults to 1. */
  weight?: number;
  fn: TaskFn<S>;
}

export interface TaskDefinition<S = Record<string, unknown>> {
  readonly [DEFINITION]: "task";
  readonly name: string;
  readonly weight: number;
  readonly fn: TaskFn<S>;
}

export interface UserSpec<S = Record<string, unknown>> {
  /** The class name the master uses (a Python identifier: it appears in master.py). */
  name: string;
  /** Relative weight of this class in the master's split; defaults to 1. */
  weight?: number;
  /** Seconds between tasks; defaults to no wait (like boomer). */
  waitTime?: WaitTime;
  /** Makes each user's fresh state. */
  state?: () => S;
  onStart?: (ctx: UserContext<S>) => unknown;
  onStop?: (ctx: UserContext<S>) => unknown;
  /** Settings for this class's HTTP clients: timeouts, TLS verification, default headers, cookies, compression. */
  http?: UserHttpOptions;
  /** Picked at random by weight. */
  tasks: ReadonlyArray<TaskDefinition<S> | TaskSpec<S>>;
}

export interface UserDefinition<S = Record<string, unknown>> {
  readonly [DEFINITION]: "user";
  readonly name: string;
  readonly weight: number;
  readonly waitTime: WaitTime | undefined;
  readonly state: (() => S) | undefined;
  readonly onStart: ((ctx: UserContext<S>) => unknown) | undefined;
  readonly onStop: ((ctx: UserContext<S>) => unknown) | undefined;
  readonly http: UserHttpOptions | undefined;
  readonly tasks: ReadonlyArray<TaskDefinition<S>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = TaskDefinition<any> | UserDefinition<any>;

/** Declares a task (boomer's `Task{Name, Weight, Fn}`). */
export function defineTask<S = Record<string, unknown>>(spec: TaskSpec<S>): TaskDefinition<S> {
  return { [DEFINITION]: "task", name: spec.name, weight: spec.weight ?? 1, fn: spec.fn };
}

/** Declares a user class: its own tasks, wait time, state and start/stop hooks. */
export function defineUser<S = Record<string, unknown>>(spec: UserSpec<S>): UserDefinition<S> {
  const tasks = (spec.tasks ?? []).map((t) => (isDefinition(t) ? (t as TaskDefinition<S>) : defineTask(t as TaskSpec<S>)));
  return {
    [DEFINITION]: "user",
    name: spec.name,
    weight: spec.weight ?? 1,
    waitTime: spec.waitTime,
    state: spec.state,
    onStart: spec.onStart,
    onStop: spec.onStop,
    http: spec.http,
    tasks,
  };
}

export function isDefinition(value: unknown): value is AnyDefinition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}
