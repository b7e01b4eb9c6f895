// Lets the free functions recordSuccess/recordFailure find the recorder of the task that
// calls them, across awaits, without a module-level mutable singleton; and lets the stats
// watchers name the task that recorded a new name.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Recorder } from "../stats/recorder.ts";

interface Running {
  recorder: Recorder;
  /** The task or hook running, e.g. "browse" or "ShopUser.onStart". */
  task: string | undefined;
}

const current = new AsyncLocalStorage<Running>();

export function runWithRecorder<T>(recorder: Recorder, fn: () => T, task?: string): T {
  return current.run({ recorder, task }, fn);
}

export function currentRecorder(caller: string): Recorder {
  const running = current.getStore();
  if (!running) {
    throw new Error(`${caller}() was called outside a running task; call it from a task's fn (or use ctx.${caller})`);
  }
  return running.recorder;
}

/** The task whose code is running now, if any (read off the hot path only). */
export function currentTask(): string | undefined {
  return current.getStore()?.task;
}
