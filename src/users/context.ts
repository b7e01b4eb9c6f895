// Builds the per-user context that tasks receive; shared by the pool and --run-tasks.
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import type { UserContext, UserDefinition } from "../api/definitions.ts";
import { sleep } from "./sleep.ts";

export interface ContextEnvironment {
  host: string | undefined;
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
}

export function createUserContext(parts: ContextParts): UserContext<any> {
  const { env, recorder, signal } = parts;
  return {
    userId: parts.userId,
    userClass: parts.className,
    get host() {
      return env().host;
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
    log: parts.log,
  };
}
