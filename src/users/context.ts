// Builds the per-user context that tasks receive; shared by the pool and --run-tasks.
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import { RescheduleTask, StopUser } from "../api/control.ts";
import type { UserContext, UserDefinition } from "../api/definitions.ts";
import { sleep } from "./sleep.ts";

export interface ContextEnvironment {
  /** The spawn's host, or the worker's --host when the master sends none. */
  host: string | undefined;
  /** What the spawn said (null: none); a web UI class host edit shows only without one, as in Locust. */
  masterHost?: string | null;
  workerIndex: number;
  parsedOptions: Readonly<Record<string, unknown>>;
}

export interface ContextParts {
  userId: number;
  className: string;
  def: UserDefinition<any>;
  /** Read on every access, so a host the master changes reaches running users. */
  env: () => ContextEnvironment;
  client: HttpClient;
  signal: AbortSignal;
  recorder: Recorder;
  log: Logger;
  /** The user's target host, when it is not simply env().host (a web UI class edit). */
  host?: () => string | undefined;
  /** Custom messages to the master; absent without one (--run-tasks). */
  sendMessage?: (type: string, data: unknown) => void;
}

export function createUserContext(parts: ContextParts): UserContext<any> {
  const { env, recorder, signal } = parts;
  const host = parts.host ?? (() => env().host);
  const send = parts.sendMessage;
  return {
    userId: parts.userId,
    userClass: parts.className,
    get host() {
      return host();
    },
    get workerIndex() {
      return env().workerIndex;
    },
    get parsedOptions() {
      return env().parsedOptions;
    },
    signal,
    client: parts.client,
    state: parts.def.state ? parts.def.state() : {},
    sleep: (seconds: number) => sleep(seconds * 1000, signal),
    recordSuccess: (type, name, ms, length) => recorder.success(type, name, ms, length),
    recordFailure: (type, name, ms, error) => recorder.failure(type, name, ms, error),
    sendMessage: (type, data) => send?.(type, data),
    stopUser: () => {
      throw new StopUser();
    },
    rescheduleTask: () => {
      throw new RescheduleTask();
    },
    log: parts.log,
  };
}
