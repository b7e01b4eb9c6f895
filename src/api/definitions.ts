// The shapes a task file declares. define* are identity helpers that brand the value, so the
// build can collect every exported definition and user files get types for free.
import type { Logger } from "../log.ts";
import type { HttpClientOptions } from "../http/index.ts";
import { remember } from "./made.ts";
import type { UserContext } from "./user-context.ts";
import type { WaitTime } from "./wait.ts";

export type { UserContext } from "./user-context.ts";

export const DEFINITION = Symbol.for("loadworker.definition");

/** Per-class settings of each user's HTTP client (the rest comes from the worker). */
export type UserHttpOptions = Pick<
  HttpClientOptions,
  "timeoutMs" | "maxBodyBytes" | "maxRedirects" | "rejectUnauthorized" | "headers" | "cookies" | "decompress" | "http2" | "maxIdlePerOrigin"
>;

export type TaskFn<S = Record<string, unknown>> = (ctx: UserContext<S>) => unknown;

export interface TaskSpec<S = Record<string, unknown>> {
  /** Unique task name (also what `--run-tasks` takes). */
  name: string;
  /** Relative weight; defaults to 1. */
  weight?: number;
  /** Locust's `@tag`: the master's `--tags` / `--exclude-tags` select tasks by these. */
  tags?: readonly string[];
  fn: TaskFn<S>;
}

export interface TaskDefinition<S = Record<string, unknown>> {
  readonly [DEFINITION]: "task";
  readonly name: string;
  readonly weight: number;
  readonly tags: readonly string[];
  readonly fn: TaskFn<S>;
}

export interface UserSpec<S = Record<string, unknown>> {
  /** The class name the master uses (a Python identifier: it appears in master.py). */
  name: string;
  /** Relative weight of this class in the master's split; defaults to 1. */
  weight?: number;
  /**
   * Locust's `fixed_count`: exactly this many users of the class across all workers, taken
   * before the weights split the rest (written into master.py; the master dispatches it).
   */
  fixedCount?: number;
  /** Seconds between tasks; defaults to no wait (like boomer). */
  waitTime?: WaitTime;
  /**
   * The open model: each user adds this many task runs per second, started on a schedule whatever
   * the responses do; one due while every user is busy is dropped (docs/open-model.md). No waitTime.
   */
  arrivalRate?: number;
  /** Makes each user's fresh state. */
  state?: () => S;
  onStart?: (ctx: UserContext<S>) => unknown;
  onStop?: (ctx: UserContext<S>) => unknown;
  /** Settings for this class's HTTP clients: timeouts, TLS verification, default headers, cookies, compression, idle sockets kept. */
  http?: UserHttpOptions;
  /** Picked at random by weight. */
  tasks: ReadonlyArray<TaskDefinition<S> | TaskSpec<S>>;
}

export interface UserDefinition<S = Record<string, unknown>> {
  readonly [DEFINITION]: "user";
  readonly name: string;
  readonly weight: number;
  readonly fixedCount: number;
  readonly waitTime: WaitTime | undefined;
  /** Task runs per second per user, on a schedule (the open model); absent: the closed model. */
  readonly arrivalRate?: number | undefined;
  readonly state: (() => S) | undefined;
  readonly onStart: ((ctx: UserContext<S>) => unknown) | undefined;
  readonly onStop: ((ctx: UserContext<S>) => unknown) | undefined;
  readonly http: UserHttpOptions | undefined;
  readonly tasks: ReadonlyArray<TaskDefinition<S>>;
}

/** A handler for the master's custom messages of one type (Locust's `runner.register_message`). */
export interface MessageDefinition {
  readonly [DEFINITION]: "message";
  readonly type: string;
  readonly handler: MessageHandler;
}

// The data is whatever the master's Python sent; `any` by default so a handler can read it as it
// knows it, or name its type with onMessage<T>.
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON from the master unless the author gives T
export type MessageHandler<T = any> = (data: T, ctx: MessageContext) => unknown;

export interface MessageContext {
  /** The message type the handler was registered for. */
  readonly type: string;
  /** This worker's index from the master's ack. */
  readonly workerIndex: number;
  readonly log: Logger;
}

/** Runs once per test in each worker process: Locust's `test_start` / `test_stop` events. */
export interface TestHookDefinition {
  readonly [DEFINITION]: "test_start" | "test_stop";
  readonly fn: (ctx: TestHookContext) => unknown;
}

export interface TestHookContext {
  readonly workerIndex: number;
  readonly host: string | undefined;
  /** The master's parsed command-line options (custom ones included). */
  readonly parsedOptions: Readonly<Record<string, unknown>>;
  readonly log: Logger;
}

/**
 * A Python file from tasks/ (e.g. master_extra.py) that `loadworker locustfile` appends verbatim
 * to master.py: master-side message handlers and custom options. The build embeds it.
 */
export interface MasterPythonDefinition {
  readonly [DEFINITION]: "master_python";
  readonly file: string;
  readonly source: string;
}

export function masterPython(file: string, source: string): MasterPythonDefinition {
  return { [DEFINITION]: "master_python", file, source };
}

// A user class or task of some state type S, as the engine holds them: it never reads the state,
// and S is invariant (onStart/tasks read it, state() makes it), so a UserDefinition<{ n: number }>
// is not a UserDefinition<unknown>; `any` here stands for "some S".
// biome-ignore lint/suspicious/noExplicitAny: "some state type", see above
export type AnyUserDefinition = UserDefinition<any>;
// biome-ignore lint/suspicious/noExplicitAny: "some state type", as for AnyUserDefinition
export type AnyTaskDefinition = TaskDefinition<any>;

/** A .proto file from tasks/ that ctx.grpc finds by its name; the build embeds it. */
export interface ProtoFileDefinition {
  readonly [DEFINITION]: "proto_file";
  readonly file: string;
  readonly source: string;
}

export function protoFile(file: string, source: string): ProtoFileDefinition {
  return { [DEFINITION]: "proto_file", file, source };
}

export type AnyDefinition =
  | AnyTaskDefinition
  | AnyUserDefinition
  | MessageDefinition
  | TestHookDefinition
  | MasterPythonDefinition
  | ProtoFileDefinition;

/** Declares a task (boomer's `Task{Name, Weight, Fn}`). */
export function defineTask<S = Record<string, unknown>>(spec: TaskSpec<S>): TaskDefinition<S> {
  return remember({ [DEFINITION]: "task", name: spec.name, weight: spec.weight ?? 1, tags: spec.tags ?? [], fn: spec.fn });
}

/** Declares a user class: its own tasks, wait time, state and start/stop hooks. */
export function defineUser<S = Record<string, unknown>>(spec: UserSpec<S>): UserDefinition<S> {
  if (spec.tasks !== undefined && !Array.isArray(spec.tasks)) {
    throw new TypeError(`defineUser "${String(spec.name)}": tasks must be a list, tasks: [{ name: "home", fn: async (ctx) => { … } }]`);
  }
  const tasks = (spec.tasks ?? []).map((t) => (isDefinition(t) ? (t as TaskDefinition<S>) : defineTask(t as TaskSpec<S>)));
  return remember({
    [DEFINITION]: "user",
    name: spec.name,
    weight: spec.weight ?? 1,
    fixedCount: spec.fixedCount ?? 0,
    waitTime: spec.waitTime,
    arrivalRate: spec.arrivalRate,
    state: spec.state,
    onStart: spec.onStart,
    onStop: spec.onStop,
    http: spec.http,
    tasks,
  });
}

/**
 * Handles the master's custom messages of one type, like Locust's
 * `environment.runner.register_message(type, handler)`. Export the result from a task file, as
 * with defineTask; the handler gets the message's data (call sendMessage from it to answer).
 */
// biome-ignore lint/suspicious/noExplicitAny: as for MessageHandler
export function onMessage<T = any>(type: string, handler: MessageHandler<T>): MessageDefinition {
  return remember({ [DEFINITION]: "message", type, handler });
}

/** Runs `fn` when a test starts on this worker (the first spawn after ready), once per test; export it. */
export function onTestStart(fn: (ctx: TestHookContext) => unknown): TestHookDefinition {
  return remember({ [DEFINITION]: "test_start", fn });
}

/** Runs `fn` when a test ends on this worker (stop, quit, or a lost master), after its users stopped; export it. */
export function onTestStop(fn: (ctx: TestHookContext) => unknown): TestHookDefinition {
  return remember({ [DEFINITION]: "test_stop", fn });
}

export function isDefinition(value: unknown): value is AnyDefinition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}
