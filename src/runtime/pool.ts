// The running users, grouped by the master's class names. Targets are absolute per class
// (Locust's spawn semantics), so applying the same target twice changes nothing.
import type { Clock } from "../clock.ts";
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type ContextEnvironment, createUserContext } from "./context.ts";
import type { UserContext, UserDefinition } from "./definitions.ts";
import type { Plan } from "./plan.ts";
import { type Activity, type YieldBudget, hungTasks, newActivity } from "./activity.ts";
import { weightedPicker } from "./pick.ts";
import { type ExceptionSink, runUser } from "./user.ts";

export type PoolEnvironment = ContextEnvironment;

export interface PoolOptions {
  plan: Plan;
  clock: Clock;
  recorder: Recorder;
  log: Logger;
  onException: ExceptionSink;
  makeClient: (host: string | undefined, signal: AbortSignal) => HttpClient;
  random?: () => number;
  /** A task running longer than this is logged as possibly hung (once per run); default 60 s. */
  hungTaskMs?: number;
}

const WATCHDOG_INTERVAL_MS = 5_000;

interface RunningUser {
  readonly id: number;
  readonly className: string;
  readonly activity: Activity;
  readonly controller: AbortController;
  readonly client: HttpClient;
  readonly done: Promise<void>;
}

export class UserPool {
  private readonly byClass = new Map<string, RunningUser[]>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly warnedUnknown = new Set<string>();
  private readonly pickFallback: () => UserDefinition<any>;
  private nextUserId = 1;
  private readonly yieldBudget: YieldBudget = { lastYield: 0 };
  private watchdog: ReturnType<typeof setInterval> | undefined;
  env: PoolEnvironment = { host: undefined, workerIndex: 0, parsedOptions: {} };

  constructor(private readonly opts: PoolOptions) {
    this.pickFallback = weightedPicker(opts.plan.fallback, (u) => u.weight, opts.random);
  }

  /** Starts or stops users until each class named has exactly its target; others are left alone. */
  setTargets(targets: Readonly<Record<string, number>>, stopTimeoutSeconds: number): void {
    for (const [name, target] of Object.entries(targets)) {
      const users = this.byClass.get(name) ?? [];
      this.byClass.set(name, users);
      while (users.length < target) users.push(this.start(name));
      if (users.length > target) this.stop(users.splice(target), stopTimeoutSeconds);
    }
    this.watch();
  }

  // One interval for all users, and only while there are users: no timer outlives the test.
  private watch(): void {
    if (this.userCount > 0 && !this.watchdog) {
      this.watchdog = setInterval(() => this.checkHung(), WATCHDOG_INTERVAL_MS);
      (this.watchdog as { unref?: () => void }).unref?.();
    } else if (this.userCount === 0 && this.watchdog) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  /** Logs tasks that have run longer than hungTaskMs; the watchdog calls it, tests may too. */
  checkHung(): void {
    const pool = this;
    const warnings = hungTasks({
      now: () => this.opts.clock.now(),
      hungAfterMs: this.opts.hungTaskMs ?? 60_000,
      *activities() {
        for (const users of pool.byClass.values()) for (const u of users) yield [u.id, u.className, u.activity] as [number, string, Activity];
      },
    });
    for (const warning of warnings) this.opts.log.warn(warning);
  }

  /** Running users per class, by the master's names (what spawning_complete and stats echo). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, users] of this.byClass) counts[name] = users.length;
    return counts;
  }

  get userCount(): number {
    let total = 0;
    for (const users of this.byClass.values()) total += users.length;
    return total;
  }

  /** Stops every user: abort now, wait up to the timeout for tasks in flight, then abandon them. */
  async stopAll(stopTimeoutSeconds: number): Promise<void> {
    for (const users of this.byClass.values()) this.stop(users.splice(0), stopTimeoutSeconds);
    this.byClass.clear();
    this.watch();
    await Promise.all([...this.stopping]);
  }

  private start(className: string): RunningUser {
    const def = this.resolve(className);
    const controller = new AbortController();
    const userId = this.nextUserId++;
    const client = this.opts.makeClient(this.env.host, controller.signal);
    const activity = newActivity();
    let ctx: UserContext<any>;
    try {
      ctx = createUserContext({
        userId,
        className,
        def,
        env: () => this.env,
        client,
        signal: controller.signal,
        recorder: this.opts.recorder,
        log: this.opts.log,
      });
    } catch (error) {
      // A throwing state() factory is user code too: report it; the user stays counted but idle.
      this.opts.onException(error, `${def.name}.state`);
      return { id: userId, className, activity, controller, client, done: Promise.resolve() };
    }
    const done = runUser(def, ctx, {
      clock: this.opts.clock,
      recorder: this.opts.recorder,
      onException: this.opts.onException,
      random: this.opts.random,
      activity,
      yieldBudget: this.yieldBudget,
    }).catch((error) => this.opts.onException(error, `${def.name} (user loop)`));
    return { id: userId, className, activity, controller, client, done };
  }

  private stop(users: RunningUser[], stopTimeoutSeconds: number): void {
    for (const user of users) {
      user.controller.abort();
      // Locust lets a task in flight finish for up to stop_timeout, then kills the user.
      const finished = settleWithin(user.done, stopTimeoutSeconds * 1000).then((inTime) => {
        if (!inTime && stopTimeoutSeconds > 0) {
          this.opts.log.warn(`a user did not finish its task within stop_timeout (${stopTimeoutSeconds}s); it was abandoned`);
        }
        user.client.close();
        this.stopping.delete(finished);
      });
      this.stopping.add(finished);
    }
  }

  private resolve(className: string): UserDefinition<any> {
    const own = this.opts.plan.users.find((u) => u.name === className);
    if (own) return own;
    if (!this.warnedUnknown.has(className)) {
      this.warnedUnknown.add(className);
      const names = this.opts.plan.fallback.map((u) => u.name).join(", ");
      this.opts.log.warn(`the master asked for user class "${className}", which this worker does not define; running ${names} for those users`);
    }
    return this.pickFallback();
  }
}

/** Resolves true when `promise` settles within `ms`, false otherwise; never leaves a timer behind. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}
