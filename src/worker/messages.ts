// Custom messages both ways, Locust's semantics (runner.register_message / send_message): the
// master's messages of a type a task file registered with onMessage go to its handler; tasks and
// handlers send their own with sendMessage. Bad cases are logged once per type and dropped, and
// the worker keeps serving: a type nobody registered, a handler that throws, data that cannot be
// encoded, a type the protocol itself uses.
import type { MessageContext, MessageHandler } from "../api/definitions.ts";
import type { Logger } from "../log.ts";

/** Types the worker sends for the protocol: a custom message under these names would confuse the master. */
export const PROTOCOL_TYPES_TO_MASTER: ReadonlySet<string> = new Set([
  "client_ready",
  "heartbeat",
  "spawning",
  "spawning_complete",
  "stats",
  "client_stopped",
  "quit",
  "exception",
  "logs",
  "locustfile",
]);

export interface MessageDispatchOptions {
  readonly handlers: ReadonlyMap<string, MessageHandler>;
  readonly log: Logger;
  /** Encodes and sends one message; throws a TypeError when the data cannot be encoded. */
  readonly transmit: (type: string, data: unknown) => void;
  /** Whether a master that knows this worker is there to receive it. */
  readonly canSend: () => boolean;
  readonly workerIndex: () => number;
  /** Runs a handler where sendMessage finds this dispatch (the shell's async context). */
  readonly runHandler: <T>(fn: () => T) => T;
}

export interface MessageDispatch {
  /** A custom message from the master. */
  receive(type: string, data: unknown): void;
  /** sendMessage: true when it went out. */
  send(type: string, data: unknown): boolean;
}

export function createMessageDispatch(opts: MessageDispatchOptions): MessageDispatch {
  const said = new Set<string>();
  const once = (key: string, level: "warn" | "error", message: string) => {
    if (said.has(key)) return opts.log.debug(message);
    said.add(key);
    opts.log[level](message);
  };
  const failed = (type: string, error: unknown) =>
    once(`throw:${type}`, "error", `the onMessage handler for "${type}" threw (logged once; the worker keeps going): ${describe(error)}`);

  return {
    receive(type, data) {
      const handler = opts.handlers.get(type);
      if (!handler) {
        const known = [...opts.handlers.keys()].map((k) => `"${k}"`).join(", ") || "none";
        return once(
          `unknown:${type}`,
          "warn",
          `the master sent a message of type "${type}" and no onMessage handler is registered for it (registered: ${known}); ignoring it`,
        );
      }
      const ctx: MessageContext = { type, workerIndex: opts.workerIndex(), log: opts.log };
      try {
        const result = opts.runHandler(() => handler(data, ctx));
        if (isPromise(result)) result.then(undefined, (error: unknown) => failed(type, error));
      } catch (error) {
        failed(type, error);
      }
    },
    send(type, data) {
      if (typeof type !== "string" || type === "") {
        once("type:empty", "error", `sendMessage needs a message type (a non-empty string), got ${describe(type)}; not sent`);
        return false;
      }
      if (PROTOCOL_TYPES_TO_MASTER.has(type)) {
        once(`reserved:${type}`, "error", `sendMessage("${type}"): "${type}" is a Locust protocol message; pick another type. Not sent`);
        return false;
      }
      if (!opts.canSend()) {
        once(`offline:${type}`, "warn", `sendMessage("${type}"): not connected to a master that knows this worker; dropped`);
        return false;
      }
      try {
        opts.transmit(type, data);
        return true;
      } catch (error) {
        once(
          `encode:${type}`,
          "error",
          `sendMessage("${type}"): the data cannot be sent (${describe(error)}); use plain objects, arrays, strings, numbers, booleans and null. Not sent`,
        );
        return false;
      }
    },
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.stack ?? String(value);
  try {
    return typeof value === "string" ? value : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
