// Lets the free functions recordSuccess/recordFailure/sendMessage find the worker of the task
// (or message handler) that calls them, across awaits, without a module-level mutable singleton;
// and lets the stats watchers name the task that recorded a new name.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Recorder } from "../stats/recorder.ts";
import type { Activity } from "./activity.ts";

/** What a running task or handler reaches through the free functions; one per worker. */
export interface TaskScope {
  readonly recorder: Recorder;
  readonly sendMessage: (type: string, data: unknown) => void;
  /** The user's activity (which task runs): a stats watcher names the task that recorded a new name. */
  readonly activity?: Activity;
  /** The worker's id the master knows it by (Locust's client_id); absent without a master. */
  readonly nodeId?: string;
  /** The running user's kill signal; absent in hooks and handlers. */
  readonly signal?: AbortSignal;
}

const current = new AsyncLocalStorage<TaskScope>();

export function runInScope<T>(scope: TaskScope, fn: () => T): T {
  return current.run(scope, fn);
}

/** For code without a master (--run-tasks): custom messages have nowhere to go. */
export function runWithRecorder<T>(recorder: Recorder, fn: () => T): T {
  return current.run({ recorder, sendMessage: () => {} }, fn);
}

export function currentScope(caller: string): TaskScope {
  const scope = current.getStore();
  if (!scope) {
    throw new Error(`${caller}() was called outside a running task or message handler; call it from a task's fn (or use ctx.${caller})`);
  }
  return scope;
}

export function currentRecorder(caller: string): Recorder {
  return currentScope(caller).recorder;
}

/** The task whose code is running now, if any (read off the hot path only). */
export function currentTask(): string | undefined {
  return current.getStore()?.activity?.task ?? undefined;
}
