// Checks one user class or task definition before any load, so a bad one stops the start with
// its name and the file and line of the define* call that made it (a task file's mistake is a
// usage error, exit 2, like a file that does not compile).
import { LoadworkerError } from "../errors.ts";
import type { AnyTaskDefinition, AnyUserDefinition } from "./definitions.ts";
import { madeAt } from "./made.ts";

// Python identifiers (Unicode letters allowed): class names end up in the generated master.py.
const PY_IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;
// Keywords are a SyntaxError as class names; `User` and `task` would shadow master.py's imports.
const PY_RESERVED = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield User task tag".split(
    " ",
  ),
);

/** Checks `user`; `names` holds the classes checked before it, by name, to find a second of one name. */
export function validateUser(user: AnyUserDefinition, names: Map<string, AnyUserDefinition>): void {
  const label = `user class "${user.name}"`;
  if (user.name === undefined) {
    throw definitionError(
      user,
      'a user class has no name; give it one, e.g. defineUser({ name: "ShopUser", … }) (the class name in master.py)',
    );
  }
  if (typeof user.name !== "string" || !PY_IDENTIFIER.test(user.name)) {
    throw definitionError(user, `${label}: the name must be a Python identifier (letters, digits, _), it is the class name in master.py`);
  }
  if (PY_RESERVED.has(user.name)) {
    throw definitionError(user, `${label}: the name is a Python keyword or a name master.py imports (User, task); rename the class`);
  }
  const twin = names.get(user.name);
  if (twin !== undefined) {
    const both = [madeAt(twin), madeAt(user)].filter((at) => at !== undefined);
    throw new LoadworkerError(
      "E_CONFIG",
      `two user classes are named "${user.name}"${both.length === 2 ? ` (at ${both.join(" and ")})` : ""}; names must be unique, rename one`,
    );
  }
  names.set(user.name, user);
  checkWeight(user, user.weight, label);
  if (!Number.isSafeInteger(user.fixedCount) || user.fixedCount < 0) {
    throw definitionError(user, `${label}: fixedCount is ${String(user.fixedCount)}; it must be a whole number >= 0 (0: split by weight)`);
  }
  if (user.tasks.length === 0) throw definitionError(user, `${label} has no tasks; give it at least one`);
  if (user.arrivalRate !== undefined) {
    if (typeof user.arrivalRate !== "number" || !Number.isFinite(user.arrivalRate) || user.arrivalRate <= 0) {
      throw definitionError(user, `${label}: arrivalRate is ${String(user.arrivalRate)}; it must be task runs per second per user above 0`);
    }
    if (user.waitTime !== undefined) {
      throw definitionError(user, `${label}: arrivalRate and waitTime exclude each other (the schedule says when a task runs); keep one`);
    }
  }
  if (user.waitTime !== undefined) {
    if (typeof user.waitTime !== "function") throw definitionError(user, `${label}: waitTime must be a function such as between(1, 2)`);
    for (const taskSeconds of [0, 0.5, 30]) {
      const probe = user.waitTime({ taskSeconds });
      if (typeof probe !== "number" || !Number.isFinite(probe) || probe < 0) {
        throw definitionError(user, `${label}: waitTime returned ${String(probe)}; it must return a finite number of seconds >= 0`);
      }
    }
  }
  const timeoutMs = user.http?.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0)) {
    throw definitionError(
      user,
      `${label}: http.timeoutMs is ${String(timeoutMs)}; it must be milliseconds >= 0 (0 or Infinity: no timeout)`,
    );
  }
  const maxIdle = user.http?.maxIdlePerOrigin;
  if (maxIdle !== undefined && (!Number.isSafeInteger(maxIdle) || maxIdle < 1)) {
    throw definitionError(user, `${label}: http.maxIdlePerOrigin is ${String(maxIdle)}; it must be a whole number >= 1 (default 10)`);
  }
  const http2: unknown = user.http?.http2;
  if (http2 !== undefined && http2 !== true && http2 !== false && http2 !== "h2c") {
    throw definitionError(
      user,
      `${label}: http.http2 is ${JSON.stringify(http2)}; it must be true (HTTP/2 over TLS by ALPN), "h2c" (cleartext too) or false`,
    );
  }
  for (const hook of ["onStart", "onStop", "state"] as const) {
    if (user[hook] !== undefined && typeof user[hook] !== "function") throw definitionError(user, `${label}: ${hook} must be a function`);
  }
}

/** Checks one task of `user`. */
export function validateTask(task: AnyTaskDefinition, user: AnyUserDefinition): void {
  if (typeof task.name !== "string" || task.name.trim() === "") {
    throw definitionError(task, `a task in user class "${user.name}" has no name; give every task a non-empty name`);
  }
  const label = `task "${task.name}"`;
  checkWeight(task, task.weight, label);
  if (!Array.isArray(task.tags) || task.tags.some((t) => typeof t !== "string" || !/^\S+$/.test(t))) {
    throw definitionError(task, `${label}: tags must be a list of words without spaces, e.g. ["checkout", "slow"]`);
  }
  if (typeof task.fn !== "function") throw definitionError(task, `${label}: fn must be a function (ctx) => ...`);
}

function checkWeight(definition: object, weight: unknown, label: string): void {
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight <= 0) {
    throw definitionError(definition, `${label}: weight is ${shown(weight)}; it must be a number > 0`);
  }
}

// A string "2" shows as "2" with its quotes: the user sees why a number-looking weight is refused.
function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** E_CONFIG naming where `definition` was made (the task file and line), when known. */
export function definitionError(definition: object, message: string): LoadworkerError {
  const at = madeAt(definition);
  return new LoadworkerError("E_CONFIG", at === undefined ? message : `${at}: ${message}`);
}
