// Lets the free functions recordSuccess/recordFailure find the recorder of the task that
// calls them, across awaits, without a module-level mutable singleton.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Recorder } from "../stats/recorder.ts";

const current = new AsyncLocalStorage<Recorder>();

export function runWithRecorder<T>(recorder: Recorder, fn: () => T): T {
  return current.run(recorder, fn);
}

export function currentRecorder(caller: string): Recorder {
  const recorder = current.getStore();
  if (!recorder) {
    throw new Error(`${caller}() was called outside a running task; call it from a task's fn (or use ctx.${caller})`);
  }
  return recorder;
}
