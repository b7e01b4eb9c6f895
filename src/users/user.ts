// One simulated user: onStart, then weighted tasks separated by its wait time until its signal
// aborts, then onStop. User code is isolated: a throw becomes an exception report, never a crash.
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type Activity, newActivity } from "./activity.ts";
import { RescheduleTask, StopUser } from "../api/control.ts";
import type { AnyTaskDefinition, AnyUserDefinition, UserContext } from "../api/definitions.ts";
import { type TaskScope, runInScope } from "./current.ts";
import { weightedPicker } from "./pick.ts";
import type { IterationQuota } from "./iteration-quota.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { isAbortError, sleep } from "./sleep.ts";
import type { SleepQueue } from "./sleep-queue.ts";
import type { Abortable } from "./stop.ts";
import { TurnBudget } from "./turn.ts";
import { isRecordedFailure } from "../websocket/index.ts";
import type { Iterations } from "./open/iterations.ts";

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
  stopSignal?: Abortable;
  /** What recordSuccess/sendMessage reach from the task; defaults to the recorder alone. */
  scope?: TaskScope;
  /** `--max-rps`: one token per task execution, shared by every user of the worker. */
  limiter?: RateLimiter;
  /** `run --iterations`: the task runs left to the process's users; none left, the user idles until the run ends. */
  quota?: IterationQuota;
  /** The tasks this user runs, when the master narrowed the class's own (tags, web UI edits). */
  tasks?: ReadonlyArray<AnyTaskDefinition>;
  /** Picks from `tasks`, shared by the users that run them (TaskPickers); default one of its own. */
  pick?: () => AnyTaskDefinition;
  /** Shared by all users of a pool: the task started last, which a stall warning names. */
  lastStarted?: { task: string | null };
  /** Shared by all users of a pool: their sleeps on one timer (default: a timer per sleep). */
  sleeps?: SleepQueue;
  /** Hears each StopUser a task or onStart throws (a feeder out of rows says why), to say it once. */
  onStopUser?: (reason: StopUser) => void;
  /**
   * An open-model user: it runs one task per iteration handed out on the schedule, and no wait
   * time (docs/open-model.md). Without it the user loops through tasks and waits (the closed model).
   */
  iterations?: Iterations;
}

/** How a user ended: stopped by the worker, or by its own task (ctx.stopUser()). */
export type UserEnd = "stopped" | "stop_user";

export function runUser(def: AnyUserDefinition, ctx: UserContext<unknown>, opts: UserRunOptions): Promise<UserEnd> {
  // One async context per user, not per task: every task and hook of a user has the same scope.
  // The user's activity rides in it, so a stats watcher can tell which task recorded a new name.
  const activity = opts.activity ?? newActivity();
  const scope = { ...(opts.scope ?? { recorder: opts.recorder, sendMessage: () => {} }), activity, signal: ctx.signal };
  return runInScope(scope, () => loop(def, ctx, opts, activity));
}

// `activity` apart, not in a copy of opts: a sleeping user keeps its loop's arguments alive.
async function loop(def: AnyUserDefinition, ctx: UserContext<unknown>, opts: UserRunOptions, activity: Activity): Promise<UserEnd> {
  const signal = opts.stopSignal ?? ctx.signal;
  const tasks = opts.tasks ?? def.tasks;
  const { limiter, iterations, lastStarted, quota } = opts; // locals: the loop reads no field of opts per task
  const budget = opts.turnBudget ?? new TurnBudget(() => opts.clock.now());
  const timed = def.waitTime !== undefined; // only a wait time needs the task's duration
  let end: UserEnd = "stopped";
  const onStart = def.onStart && (await guarded(() => def.onStart?.(ctx), `${def.name}.onStart`, opts, ctx.signal));
  if (onStart === "stop_user") end = "stop_user";
  iterations?.arrived();
  // Tags or a web UI edit can leave a class without tasks: its users wait to be stopped.
  if (tasks.length === 0 && end !== "stop_user") await aborted(signal);
  const pick = tasks.length === 0 ? undefined : (opts.pick ?? weightedPicker(tasks, (t) => t.weight, opts.random));
  while (pick && end !== "stop_user" && !signal.aborted) {
    const dueMs = iterations ? await iterations.take(signal) : 0;
    if (dueMs === undefined) break; // stopped while free
    if (limiter) {
      const token = limiter.acquire(signal);
      if (token !== true) {
        try {
          await token;
        } catch (error) {
          if (isAbortError(error)) break; // stopped while waiting: leave at once
          throw error;
        }
      }
    }
    if (quota && !quota.take()) {
      // Idle, not gone, until the run ends (soon: once the runs taken have ended), so the users
      // at the end (the reports' final ratio, Locust's final_user_classes_count) are all of them.
      await aborted(signal);
      break;
    }
    const task = pick();
    if (iterations) activity.lateMs = iterations.begin(dueMs);
    activity.task = task.name;
    activity.runs++;
    if (lastStarted) lastStarted.task = task.name;
    const started = timed ? opts.clock.now() : 0;
    let outcome: "done" | "stop_user" = "done";
    let result: unknown;
    try {
      result = task.fn(ctx);
    } catch (error) {
      outcome = taskFailed(error, task, ctx, opts);
    }
    // A task that returns no promise still takes one microtask hop, so the users take turns
    // within an event-loop turn instead of the first one running the whole budget.
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      try {
        await result;
      } catch (error) {
        outcome = taskFailed(error, task, ctx, opts);
      }
    } else await undefined;
    activity.task = null;
    quota?.ended();
    if (outcome === "stop_user") end = "stop_user";
    if (signal.aborted || end === "stop_user") break;
    if (iterations) {
      activity.lateMs = 0; // a task without a request leaves it unspent
      continue; // the schedule, not a wait time, says when this user runs again
    }
    const ended = timed ? opts.clock.now() : undefined;
    const wait = ended !== undefined ? nextWait(def, (ended - started) / 1000, opts) : 0;
    try {
      // Without a wait, a task that does no I/O never yields: the shared budget bounds the turn.
      if (wait > 0) await (opts.sleeps ? opts.sleeps.sleep(wait * 1000, signal) : sleep(wait * 1000, signal));
      else {
        const nextTurn = budget.spent(ended);
        if (nextTurn) await nextTurn;
      }
    } catch (error) {
      if (!isAbortError(error)) throw error;
    }
  }
  if (def.onStop) await guarded(() => def.onStop?.(ctx), `${def.name}.onStop`, opts);
  return end;
}

function taskFailed(error: unknown, task: AnyTaskDefinition, ctx: UserContext<unknown>, opts: UserRunOptions): "done" | "stop_user" {
  if (error instanceof StopUser) {
    opts.onStopUser?.(error);
    return "stop_user";
  }
  if (error instanceof RescheduleTask) return "done";
  // A WebSocket failure is already a failure row: like Locust's failed request, not an exception.
  if (isRecordedFailure(error)) return "done";
  // After the kill, whatever the task throws is the kill's doing, or comes from a user already
  // abandoned (into a later test): Locust's killed greenlet reports nothing either.
  if (!ctx.signal.aborted) opts.onException(error, task.name);
  return "done";
}

function aborted(signal: Abortable): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

/**
 * Runs a hook and reports what it throws. An abort is the stop itself, not a bug. Locust calls
 * on_stop whenever a user is stopped, even in the middle of on_start, and so does runUser.
 */
async function guarded(fn: () => unknown, where: string, opts: UserRunOptions, killed?: Abortable): Promise<"done" | "stop_user"> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof StopUser) {
      opts.onStopUser?.(error);
      return "stop_user";
    }
    // An onStart killed mid-way throws what the kill caused (as a task does); onStop runs after the kill and still reports.
    if (killed?.aborted) return "done";
    if (!isAbortError(error) && !(error instanceof RescheduleTask) && !isRecordedFailure(error)) opts.onException(error, where);
  }
  return "done";
}

// A wait time that misbehaves at run time (validated at start-up, but user code can change)
// must not spin or stall the user: report it and fall back to 1 s.
function nextWait(def: AnyUserDefinition, taskSeconds: number, opts: UserRunOptions): number {
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
