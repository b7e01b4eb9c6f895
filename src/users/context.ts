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
  return new Context(parts);
}

// A class, so the getters live on the prototype; sleep and the record functions are bound on
// first use (tasks destructure them: `({ sleep }) => sleep(1)`), so an idle user holds none.
class Context implements UserContext<any> {
  readonly userId: number;
  readonly userClass: string;
  readonly signal: AbortSignal;
  readonly client: HttpClient;
  readonly log: Logger;
  state: any;
  private readonly env: () => ContextEnvironment;
  private readonly recorder: Recorder;
  private bound: Pick<UserContext<any>, "sleep" | "recordSuccess" | "recordFailure"> | undefined;

  constructor(parts: ContextParts) {
    this.userId = parts.userId;
    this.userClass = parts.className;
    this.signal = parts.signal;
    this.client = parts.client;
    this.log = parts.log;
    this.env = parts.env;
    this.recorder = parts.recorder;
    this.state = parts.def.state ? parts.def.state() : {};
  }

  get host(): string | undefined {
    return this.env().host;
  }
  get workerIndex(): number {
    return this.env().workerIndex;
  }
  get parsedOptions(): Readonly<Record<string, unknown>> {
    return this.env().parsedOptions;
  }
  get sleep(): UserContext<any>["sleep"] {
    return this.functions().sleep;
  }
  get recordSuccess(): UserContext<any>["recordSuccess"] {
    return this.functions().recordSuccess;
  }
  get recordFailure(): UserContext<any>["recordFailure"] {
    return this.functions().recordFailure;
  }

  private functions() {
    const { signal, recorder } = this;
    return (this.bound ??= {
      sleep: (seconds: number) => sleep(seconds * 1000, signal),
      recordSuccess: (type, name, ms, length) => recorder.success(type, name, ms, length),
      recordFailure: (type, name, ms, error) => recorder.failure(type, name, ms, error),
    });
  }
}
