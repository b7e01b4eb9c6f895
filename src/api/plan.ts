// Turns whatever a task file exported into a validated plan, so a bad definition fails at
// start-up with the task's name, before any load is generated.
import { LoadworkerError } from "../errors.ts";
import { GrpcError, ProtoFiles } from "../grpc/index.ts";
import {
  type AnyDefinition,
  type AnyTaskDefinition,
  type AnyUserDefinition,
  defineUser,
  DEFINITION,
  isDefinition,
  type MasterPythonDefinition,
  type MessageDefinition,
  type MessageHandler,
  type ProtoFileDefinition,
  type TestHookDefinition,
} from "./definitions.ts";
import { madeAt } from "./made.ts";
import { taskFilesSource } from "./task-files.ts";
import { definitionError, validateTask, validateUser } from "./validate.ts";

/** The user class that runs standalone tasks, and any class the master names that we lack. */
export const DEFAULT_USER_NAME = "DefaultUser";

export interface Plan {
  /** The classes the master may name, in declaration order (master.py lists these). */
  readonly users: ReadonlyArray<AnyUserDefinition>;
  /** Every task by its unique name (for --run-tasks). */
  readonly tasks: ReadonlyMap<string, { task: AnyTaskDefinition; user: AnyUserDefinition }>;
  /** What runs for a class name the worker does not have. */
  readonly fallback: ReadonlyArray<AnyUserDefinition>;
  /** onMessage handlers by message type. */
  readonly messages: ReadonlyMap<string, MessageHandler>;
  /** onTestStart / onTestStop hooks, in declaration order. */
  readonly testStart: ReadonlyArray<TestHookDefinition["fn"]>;
  readonly testStop: ReadonlyArray<TestHookDefinition["fn"]>;
  /** Python files from tasks/ that master.py gets verbatim, by file name. */
  readonly masterPython: ReadonlyArray<{ readonly file: string; readonly source: string }>;
  /** The .proto files from tasks/ (ctx.grpc's `proto` names one), each parsed once. */
  readonly protos: ProtoFiles;
}

// The master's own protocol messages: the worker handles these, a task file cannot take them over.
const PROTOCOL_TYPES_FROM_MASTER = new Set([
  "ack",
  "spawn",
  "spawning_complete",
  "heartbeat",
  "stop",
  "quit",
  "reconnect",
  "update_user_class",
  "locustfile",
]);

/** Collects definitions from module exports (values, arrays of values, nested defaults). */
export function collectDefinitions(exports: Iterable<unknown>): AnyDefinition[] {
  const found: AnyDefinition[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown) => {
    if (seen.has(value)) return;
    seen.add(value);
    if (isDefinition(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  for (const value of exports) visit(value);
  return found;
}

export function buildPlan(definitions: readonly AnyDefinition[]): Plan {
  const users = definitions.filter((d): d is AnyUserDefinition => d[DEFINITION] === "user");
  // A task a user class lists is that class's, even when it is also exported (to share it).
  const owned = new Set(users.flatMap((u) => u.tasks));
  const standalone = definitions.filter((d): d is AnyTaskDefinition => d[DEFINITION] === "task" && !owned.has(d));
  if (users.length === 0 && standalone.length === 0) {
    throw new LoadworkerError("E_NO_TASKS", "no tasks found: export defineTask(...) or defineUser(...) values from a file in tasks/");
  }
  const all = [...users];
  if (standalone.length > 0) {
    if (users.some((u) => u.name === DEFAULT_USER_NAME)) {
      const named = users.find((u) => u.name === DEFAULT_USER_NAME) as AnyUserDefinition;
      throw definitionError(named, `the user class name "${DEFAULT_USER_NAME}" is reserved for standalone tasks; rename the class`);
    }
    all.unshift(defineUser({ name: DEFAULT_USER_NAME, tasks: standalone }));
  }
  const tasks = new Map<string, { task: AnyTaskDefinition; user: AnyUserDefinition }>();
  const names = new Map<string, AnyUserDefinition>();
  for (const user of all) {
    validateUser(user, names);
    for (const task of user.tasks) {
      validateTask(task, user);
      const prior = tasks.get(task.name);
      if (prior && prior.task !== task) {
        const where = [...new Set([madeAt(prior.task), madeAt(task)])].filter((at) => at !== undefined);
        const classes = prior.user === user ? `both in ${user.name}` : `in ${prior.user.name} and ${user.name}`;
        throw new LoadworkerError(
          "E_CONFIG",
          `two tasks are named "${task.name}" (${classes}${where.length > 0 ? `, at ${where.join(" and ")}` : ""}); task names must be unique`,
        );
      }
      if (!prior) tasks.set(task.name, { task, user });
    }
  }
  const fallback = standalone.length > 0 ? all.filter((u) => u.name === DEFAULT_USER_NAME) : all;
  const hooks = (kind: TestHookDefinition[typeof DEFINITION]) =>
    definitions
      .filter((d): d is TestHookDefinition => d[DEFINITION] === kind)
      .map((d) => {
        if (typeof d.fn !== "function")
          throw new LoadworkerError("E_CONFIG", `${kind === "test_start" ? "onTestStart" : "onTestStop"} needs a function`);
        return d.fn;
      });
  const masterPython = definitions
    .filter((d): d is MasterPythonDefinition => d[DEFINITION] === "master_python")
    .map(({ file, source }) => ({ file, source }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    users: all,
    tasks,
    fallback,
    messages: messageHandlers(definitions),
    testStart: hooks("test_start"),
    testStop: hooks("test_stop"),
    masterPython,
    protos: protoFiles(definitions),
  };
}

// Parsed here, so a .proto that does not parse stops the start (exit 2), naming file and line.
function protoFiles(definitions: readonly AnyDefinition[]): ProtoFiles {
  const files = definitions.filter((d): d is ProtoFileDefinition => d[DEFINITION] === "proto_file");
  const source = taskFilesSource();
  const protos = new ProtoFiles(new Map(files.map((d) => [d.file, d.source])), "dir" in source ? { dir: source.dir } : {});
  try {
    protos.checkAll();
  } catch (error) {
    if (error instanceof GrpcError) throw new LoadworkerError("E_PROTO", `${error.message}; fix the .proto in the task folder`);
    throw error;
  }
  return protos;
}

function messageHandlers(definitions: readonly AnyDefinition[]): Map<string, MessageHandler> {
  const handlers = new Map<string, MessageHandler>();
  for (const d of definitions.filter((d): d is MessageDefinition => d[DEFINITION] === "message")) {
    const label = `onMessage(${JSON.stringify(d.type)})`;
    if (typeof d.type !== "string" || d.type === "")
      throw new LoadworkerError("E_CONFIG", `${label}: the message type must be a non-empty string`);
    if (PROTOCOL_TYPES_FROM_MASTER.has(d.type)) {
      throw new LoadworkerError(
        "E_CONFIG",
        `${label}: "${d.type}" is a Locust protocol message the worker handles itself; pick another type`,
      );
    }
    if (typeof d.handler !== "function")
      throw new LoadworkerError("E_CONFIG", `${label}: the handler must be a function (data, ctx) => ...`);
    // Locust refuses a second register_message for one type; so do we, at start-up.
    if (handlers.has(d.type)) throw new LoadworkerError("E_CONFIG", `${label} is registered twice; one handler per message type`);
    handlers.set(d.type, d.handler);
  }
  return handlers;
}
