// --run-tasks: run each named task once, without a master (boomer's debugging mode), and
// return what it recorded so the CLI can print it.
import type { Clock } from "../clock.ts";
import { LoadworkerError } from "../errors.ts";
import { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import { errorText } from "../stats/index.ts";
import type { Recorder } from "../stats/recorder.ts";
import { closeConnections, createUserContext } from "./context.ts";
import type { UserContext } from "../api/definitions.ts";
import { targetHost } from "./target-host.ts";
import { runWithRecorder } from "./current.ts";
import type { Plan } from "../api/plan.ts";
import { describeException } from "./exceptions.ts";
import { RescheduleTask, StopUser } from "../api/control.ts";
import { isRecordedFailure } from "../websocket/index.ts";

export interface Recorded {
  ok: boolean;
  requestType: string;
  name: string;
  ms: number;
  length: number;
  error?: string;
}

export interface TaskRun {
  task: string;
  records: Recorded[];
  /** What the task (or its user's onStart/onStop) threw, if anything. */
  exception?: string;
}

export interface RunOnceOptions {
  host?: string;
  log: Logger;
  clock: Clock;
  /** Called as each record arrives, so output streams while tasks run. */
  onRecord?: (task: string, record: Recorded) => void;
}

// StopUser and RescheduleTask are control flow, not exceptions, and onStop still runs after them,
// as in a run (users/user.ts); a WebSocket failure is already a failure row.
async function controlFlow(fn: () => unknown): Promise<"done" | "stop_user"> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof StopUser) return "stop_user";
    if (!(error instanceof RescheduleTask) && !isRecordedFailure(error)) throw error;
  }
  return "done";
}

export async function runTasksOnce(plan: Plan, names: readonly string[], opts: RunOnceOptions): Promise<TaskRun[]> {
  const found = names.flatMap((name) => {
    const entry = plan.tasks.get(name);
    return entry === undefined ? [] : [{ name, ...entry }];
  });
  if (found.length < names.length) {
    const unknown = names.filter((n) => !plan.tasks.has(n));
    const known = [...plan.tasks.keys()].map((n) => JSON.stringify(n)).join(", ");
    throw new LoadworkerError(
      "E_UNKNOWN_TASK",
      `no task named ${unknown.map((n) => JSON.stringify(n)).join(", ")}; the tasks are: ${known} (a task file must export what it defines)`,
    );
  }
  const runs: TaskRun[] = [];
  for (const [i, { name, task, user }] of found.entries()) {
    const run: TaskRun = { task: name, records: [] };
    const push = (record: Recorded) => {
      run.records.push(record);
      opts.onRecord?.(name, record);
    };
    const recorder: Recorder = {
      success: (requestType, reqName, ms, length) => push({ ok: true, requestType, name: reqName, ms, length }),
      failure: (requestType, reqName, ms, error) => push({ ok: false, requestType, name: reqName, ms, length: 0, error: errorText(error) }),
    };
    const controller = new AbortController();
    const client = new HttpClient({ ...user.http, baseUrl: opts.host, recorder, signal: controller.signal, clock: opts.clock });
    const env = { host: opts.host, workerIndex: 0, parsedOptions: {} };
    let ctx: UserContext<unknown> | undefined;
    try {
      // Inside the try: the user's state() factory is user code and may throw too.
      ctx = createUserContext({
        userId: i + 1,
        className: user.name,
        def: user,
        env: () => env,
        host: () => targetHost({ flag: opts.host }),
        client,
        signal: controller.signal,
        recorder,
        log: opts.log,
        clock: opts.clock,
        protos: plan.protos,
      });
      const userCtx = ctx;
      await runWithRecorder(recorder, async () => {
        if ((await controlFlow(() => user.onStart?.(userCtx))) === "done") await controlFlow(() => task.fn(userCtx));
        await controlFlow(() => user.onStop?.(userCtx));
      });
    } catch (error) {
      const described = describeException(error, name);
      // Where in the task file: the binary's source map makes it tasks/x.ts:LINE.
      run.exception = described.location ? `${described.msg} at ${described.location}` : described.msg;
    } finally {
      client.close(); // first: it records unmarked catchResponse calls, which an abort would drop
      if (ctx !== undefined) closeConnections(ctx); // gRPC channels and WebSockets the task left open
      controller.abort();
    }
    runs.push(run);
  }
  return runs;
}
