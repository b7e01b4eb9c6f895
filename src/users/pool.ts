// The running users, grouped by the master's class names. Targets are absolute per class
// (Locust's spawn semantics), so applying the same target twice changes nothing.
import { type Clock, perRoundClock } from "../clock.ts";
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { Recorder } from "../stats/recorder.ts";
import { type ContextEnvironment, createUserContext } from "./context.ts";
import type { AnyTaskDefinition, AnyUserDefinition, UserContext, UserHttpOptions } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";
import { DEFAULT_STOP_REASON, type StopUser } from "../api/control.ts";
import { type Activity, newActivity } from "./activity.ts";
import { classResolver } from "./class-resolver.ts";
import { HungWatchdog } from "./hung-watchdog.ts";
import { TaskPickers } from "./task-pickers.ts";
import { UserStop } from "./stop.ts";
import { type RunningUser, releaseUser, StoppingUsers } from "./stopping.ts";
import { TurnBudget } from "./turn.ts";
import { type ExceptionSink, runUser } from "./user.ts";
import { SleepQueue } from "./sleep-queue.ts";
import { StartQueue } from "./start-queue.ts";
import { ClassControls } from "./classes.ts";
import { targetHost } from "./target-host.ts";
import type { TaskScope } from "./current.ts";
import type { IterationQuota } from "./iteration-quota.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { OpenClasses } from "./open/open-classes.ts";

export interface PoolOptions {
  plan: Plan;
  clock: Clock;
  /** The time of the round (perRoundClock) the stats read too: one clock read per round for both. */
  roundClock?: Clock;
  recorder: Recorder;
  log: Logger;
  onException: ExceptionSink;
  /** Makes a user's client; `kill` aborts when the user is killed (after stop_timeout); `activity` names its calls' task. */
  makeClient: (host: string | undefined, kill: AbortSignal, options: UserHttpOptions | undefined, activity?: Activity) => HttpClient;
  random?: () => number;
  /** A task running longer than this is logged as possibly hung (once per run); default 60 s. */
  hungTaskMs?: number;
  /** `--max-rps` / `--request-increase-rate`, shared by every user. */
  limiter?: RateLimiter;
  /** `run --iterations`: the task runs left to every user of the pool. */
  quota?: IterationQuota;
  /** Custom messages to the master, for ctx.sendMessage and the free sendMessage. */
  sendMessage?: (type: string, data: unknown) => void;
  nodeId?: string; // the worker's client_id at the master, for data/'s requests that need an answer
  /** Which classes run the open model, and their free users (docs/open-model.md); none: all closed. */
  openClasses?: OpenClasses;
}

/** After a kill, how long aborted tasks and onStop get before the user is abandoned. */
export const KILL_GRACE_MS = 2_000;

export class UserPool {
  private readonly byClass = new Map<string, RunningUser[]>();
  /** Users told to stop whose task is still finishing: Locust still counts them. */
  private readonly stopping: StoppingUsers;
  private readonly resolve: (className: string) => AnyUserDefinition;
  private nextUserId = 1;
  private readonly turnBudget: TurnBudget;
  private readonly watchdog: HungWatchdog;
  env: ContextEnvironment = { host: undefined, workerIndex: 0, parsedOptions: {} };
  /** `run --iterations`, or locust-plugins' -i from the master's test: the task runs left to the users started from now on. */
  quota: IterationQuota | undefined;
  /** Web UI class edits and the test's tags: they shape the users started from now on. */
  readonly classes: ClassControls<AnyTaskDefinition>;
  private readonly scope: TaskScope;
  private readonly stopsSaid = new Set<string>(); // saidStop's lines, once each
  private readonly sleeps = new SleepQueue(); // every user's wait times and ctx.sleep, on one timer
  private readonly starts: StartQueue;
  private readonly envNow = () => this.env;
  private readonly pickers = new TaskPickers(); // one per task list, shared by a class's users

  constructor(private readonly opts: PoolOptions) {
    this.resolve = classResolver(opts.plan, opts.log, opts.random);
    this.quota = opts.quota;
    const users = () => [...this.byClass.values()].flat().map((u): [number, string, Activity] => [u.id, u.className, u.activity]);
    this.watchdog = new HungWatchdog({ clock: opts.clock, log: opts.log, hungAfterMs: opts.hungTaskMs, users });
    // The budget is checked after every task: it reads the time once per round of users.
    this.turnBudget = new TurnBudget((opts.roundClock ?? perRoundClock(opts.clock)).now);
    this.starts = new StartQueue(() => opts.clock.now()); // the real time: a slice is one synchronous loop
    this.classes = new ClassControls((m) => opts.log.warn(m));
    this.scope = { recorder: opts.recorder, sendMessage: opts.sendMessage ?? (() => {}), nodeId: opts.nodeId };
    // The last user to end stops the watchdog.
    this.stopping = new StoppingUsers({ log: opts.log, killGraceMs: KILL_GRACE_MS, onEnded: () => this.watch() });
  }

  /**
   * Starts or stops users until each class named has exactly its target; others are left alone.
   * Resolves once the users it stopped have finished (Locust's worker reports spawning complete then).
   */
  setTargets(targets: Readonly<Record<string, number>>, stopTimeoutSeconds: number): Promise<void> {
    const stops: Promise<void>[] = [];
    for (const [name, target] of Object.entries(targets)) {
      const users = this.byClass.get(name) ?? [];
      this.byClass.set(name, users);
      while (users.length < target) users.push(this.start(name));
      if (users.length > target) stops.push(...this.stopping.stop(users.splice(target), stopTimeoutSeconds));
      this.opts.openClasses?.resized(name, users.length);
    }
    this.starts.drain();
    this.watch();
    return Promise.all(stops).then(() => undefined);
  }

  private watch(): void {
    this.watchdog.watch(this.userCount);
  }

  /** Logs tasks that have run longer than hungTaskMs; the watchdog calls it, tests may too. */
  checkHung(): void {
    this.watchdog.check();
  }

  /** For the stall warning (off the hot path): every user's activity, and the task started last. */
  readonly activities = (): Activity[] => [...[...this.byClass.values()].flat(), ...this.stopping.list()].map((u) => u.activity);
  readonly lastStarted: { task: string | null } = { task: null };

  /** Running users per class, by the master's names (what spawning_complete and stats echo). */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [name, users] of this.byClass) counts[name] = users.length;
    for (const [name, n] of this.stopping.countsByClass()) counts[name] = (counts[name] ?? 0) + n;
    return counts;
  }

  /** HTTP connections the users' clients hold open (for /metrics). */
  openConnections(): number {
    let open = 0;
    for (const u of [...[...this.byClass.values()].flat(), ...this.stopping.list()]) open += u.client.connectionCount;
    return open;
  }

  get userCount(): number {
    let total = 0;
    for (const users of this.byClass.values()) total += users.length;
    for (const n of this.stopping.countsByClass().values()) total += n;
    return total;
  }

  /** Stops every user: abort now, wait up to the timeout for tasks in flight, then abandon them. */
  async stopAll(stopTimeoutSeconds: number): Promise<void> {
    for (const [name, users] of this.byClass) {
      this.stopping.stop(users.splice(0), stopTimeoutSeconds);
      this.opts.openClasses?.resized(name, 0);
    }
    this.byClass.clear();
    // A kill (stop_timeout 0: quit, a lost master) also ends users still finishing an earlier, graceful stop.
    if (stopTimeoutSeconds === 0) this.stopping.kill();
    this.watch();
    await this.stopping.ended();
  }

  private start(className: string): RunningUser {
    const def = this.resolve(className);
    const controller = new AbortController();
    const stopRequest = new UserStop();
    const userId = this.nextUserId++;
    const hostNow = () => targetHost({ master: this.env.masterHost, classEdit: this.classes.editedHost(className), flag: this.env.host });
    const activity = newActivity();
    const iterations = this.opts.openClasses?.iterationsFor(className, def);
    if (iterations) {
      activity.lateMs = 0; // an open-model user: its client times a late start (open/late.ts)
      iterations.expect();
    }
    const client = this.opts.makeClient(hostNow(), controller.signal, def.http, activity);
    let ctx: UserContext<unknown>;
    try {
      ctx = createUserContext({
        userId,
        className,
        def,
        env: this.envNow,
        client,
        signal: controller.signal,
        recorder: this.opts.recorder,
        log: this.opts.log,
        host: hostNow,
        sendMessage: this.scope.sendMessage,
        sleeps: this.sleeps,
        activity,
        clock: this.opts.clock,
        protos: this.opts.plan.protos,
      });
    } catch (error) {
      // A throwing state() factory is user code too: report it; the user stays counted but idle.
      this.opts.onException(error, `${def.name}.state`);
      iterations?.arrived();
      return { id: userId, className, activity, stopRequest, controller, client, done: Promise.resolve() };
    }
    // Counted now, run in the start queue's next slice (start-queue.ts); a user stopped before
    // its turn never runs, as a greenlet killed before it was scheduled.
    const done = new Promise<void>((resolve) => {
      this.starts.push(() => {
        if (!stopRequest.aborted && !controller.signal.aborted) return resolve(this.run(user, def, ctx, stopRequest));
        iterations?.arrived(); // never ran: no onStart to wait for
        resolve();
      });
    });
    const user: RunningUser = { id: userId, className, activity, stopRequest, controller, client, ctx, done };
    return user;
  }

  private run(user: RunningUser, def: AnyUserDefinition, ctx: UserContext<unknown>, stopRequest: UserStop): Promise<void> {
    return runUser(def, ctx, {
      clock: this.opts.clock,
      recorder: this.opts.recorder,
      onException: this.opts.onException,
      random: this.opts.random,
      activity: user.activity,
      turnBudget: this.turnBudget,
      lastStarted: this.lastStarted,
      stopSignal: stopRequest,
      scope: this.scope,
      limiter: this.opts.limiter,
      quota: this.quota,
      sleeps: this.sleeps,
      onStopUser: (stop) => this.saidStop(user.className, stop),
      iterations: this.opts.openClasses?.iterationsFor(user.className, def),
      ...this.pickers.forTasks(this.classes.tasksFor(user.className, def.tasks), this.opts.random),
    }).then(
      (end) => void (end === "stop_user" && this.leave(user)),
      (error) => this.opts.onException(error, `${def.name} (user loop)`),
    );
  }

  // A StopUser with a reason of its own (a feeder out of rows) is said once a class: an idle run
  // then says why its users went. ctx.stopUser()'s default reason is the task's own choice: not said.
  private saidStop(className: string, stop: StopUser): void {
    if (stop.message === DEFAULT_STOP_REASON) return;
    const line = `${className}: ${stop.message}; its users that hit it stop (StopUser)`;
    if (this.stopsSaid.has(line)) return;
    this.stopsSaid.add(line);
    this.opts.log.info(line);
  }

  // ctx.stopUser(): the user is gone, as a Locust user whose greenlet ended is no longer counted;
  // the master's next spawn for the class starts a new one.
  private leave(user: RunningUser): void {
    const users = this.byClass.get(user.className);
    const at = users?.indexOf(user) ?? -1;
    if (at < 0) return; // already being stopped by the worker
    users?.splice(at, 1);
    releaseUser(user);
    this.opts.openClasses?.resized(user.className, users?.length ?? 0);
    this.watch();
  }
}
