// One simulated user: onStart, then weighted tasks separated by its wait time until its signal
// aborts, then onStop. User code is isolated: a throw becomes an exception report, never a crash.
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type Activity, newActivity } from "./activity.ts";
import { runWithRecorder } from "./current.ts";
import type { TaskDefinition, UserContext, UserDefinition } from "../api/definitions.ts";
import { weightedPicker } from "./pick.ts";
import { isAbortError, sleep } from "./sleep.ts";
import { TurnBudget } from "./turn.ts";

/** Where a user reports a throw from its own code; `where` names the task or hook. */
export type ExceptionSink = (error: unknown, where: string) => void;

export interface UserRunOptions {
  clock: Clock;
  recorder: Recorder;
  onException: ExceptionSink;
  random?: () => number;
  /** Updated as tasks start and end, for the hung-task watchdog. */
  activity?: Activity;
  /** Shared by all users of a pool: how long they may run before the event loop gets a turn. */
  turnBudget?: TurnBudget;
  /**
   * Stop requested: ends the wait at once and the loop after the task in flight, which keeps
   * running until ctx.signal (the kill) aborts. Defaults to ctx.signal.
   */
  stopSignal?: AbortSignal;
}

export function runUser(def: UserDefinition<any>, ctx: UserContext<any>, opts: UserRunOptions): Promise<void> {
  // One async context per user, not per task: every task of a user records into the same recorder.
  return runWithRecorder(opts.recorder, () => loop(def, ctx, opts));
}

async function loop(def: UserDefinition<any>, ctx: UserContext<any>, opts: UserRunOptions): Promise<void> {
  const signal = opts.stopSignal ?? ctx.signal;
  const pick = weightedPicker(def.tasks, (t) => t.weight, opts.random);
  const activity = opts.activity ?? newActivity();
  const budget = opts.turnBudget ?? new TurnBudget(() => opts.clock.now());
  const timed = def.waitTime !== undefined; // only a wait time needs the task's duration
  if (def.onStart) await guarded(() => def.onStart?.(ctx), `${def.name}.onStart`, opts);
  while (!signal.aborted) {
    const task = pick();
    activity.task = task.name;
    activity.runs++;
    const started = timed ? opts.clock.now() : 0;
    let result: unknown;
    try {
      result = task.fn(ctx);
    } catch (error) {
      taskFailed(error, task, ctx, opts);
    }
    // A task that returns no promise still takes one microtask hop, so the users take turns
    // within an event-loop turn instead of the first one running the whole budget.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      try {
        await result;
      } catch (error) {
        taskFailed(error, task, ctx, opts);
      }
    } else await undefined;
    activity.task = null;
    if (signal.aborted) break;
    const ended = timed ? opts.clock.now() : undefined;
    const wait = ended !== undefined ? nextWait(def, (ended - started) / 1000, opts) : 0;
    try {
      // Without a wait, a task that does no I/O never yields: the shared budget bounds the turn.
      if (wait > 0) await sleep(wait * 1000, signal);
      else {
        const nextTurn = budget.spent(ended);
        if (nextTurn) await nextTurn;
      }
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }
  }
  if (def.onStop) await guarded(() => def.onStop?.(ctx), `${def.name}.onStop`, opts);
}

function taskFailed(error: unknown, task: TaskDefinition<any>, ctx: UserContext<any>, opts: UserRunOptions): void {
  if (!(ctx.signal.aborted && isAbortError(error))) opts.onException(error, task.name);
}

/**
 * Runs a hook and reports what it throws. An abort is the stop itself, not a bug. Locust calls
 * on_stop whenever a user is stopped, even in the middle of on_start, and so does runUser.
 */
async function guarded(fn: () => unknown, where: string, opts: UserRunOptions): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isAbortError(error)) opts.onException(error, where);
  }
}

// A wait time that misbehaves at run time (validated at start-up, but user code can change)
// must not spin or stall the user: report it and fall back to 1 s.
function nextWait(def: UserDefinition<any>, taskSeconds: number, opts: UserRunOptions): number {
  if (!def.waitTime) return 0;
  let seconds: unknown;
  try {
    seconds = def.waitTime({ taskSeconds });
  } catch (error) {
    opts.onException(error, `${def.name}.waitTime`);
    return 1;
  }
  if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) return seconds;
  opts.onException(new RangeError(`waitTime returned ${String(seconds)}; it must return seconds >= 0`), `${def.name}.waitTime`);
  return 1;
}
