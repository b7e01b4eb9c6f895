// The worker's side of the task file's controls: onMessage handlers and sendMessage, the test
// hooks, and the Logs tab. The effects shell calls these; each keeps user code isolated (a
// throwing hook or handler is logged and reported, and the worker goes on).
import type { TestHookContext } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";
import type { Logger } from "../log.ts";
import type { WorkerMessage } from "../protocol/index.ts";
import { type TaskScope, runInScope } from "../users/current.ts";
import { runTestHooks } from "../users/test-hooks.ts";
import type { ExceptionSink } from "../users/user.ts";
import { type LogBuffer, type ShipState, initialShipState, shipLogs } from "./logs.ts";
import { type MessageDispatch, createMessageDispatch } from "./messages.ts";

export interface ControlsOptions {
  readonly plan: Plan;
  readonly log: Logger;
  readonly send: (message: WorkerMessage) => void;
  /** Whether a master that knows this worker is there (custom messages are dropped otherwise). */
  readonly canSend: () => boolean;
  readonly workerIndex: () => number;
  readonly onException: ExceptionSink;
  /** What the free recordSuccess/sendMessage reach from hooks and handlers. */
  readonly scope: (sendMessage: (type: string, data: unknown) => void) => TaskScope;
  /** The lines the Logs tab gets; none when log capture is off. */
  readonly logBuffer?: LogBuffer;
}

export interface WorkerControls {
  readonly messages: MessageDispatch;
  /** Runs the onTestStart hooks (undefined when there are none); the test's spawns wait for them. */
  testStart(ctx: Omit<TestHookContext, "log" | "workerIndex">): Promise<void> | undefined;
  /** Runs the onTestStop hooks once `usersGone` settles. */
  testStop(ctx: Omit<TestHookContext, "log" | "workerIndex">, usersGone: Promise<unknown>): Promise<void>;
  /** Hooks still running (the worker waits for them, bounded, before it exits). */
  idle(): Promise<void>;
  /** One Logs-tab interval: send the buffer if it grew (Locust's rules, logs.ts). */
  shipLogs(): void;
}

export function createControls(opts: ControlsOptions): WorkerControls {
  const messages = createMessageDispatch({
    handlers: opts.plan.messages,
    log: opts.log,
    transmit: (name, data) => opts.send({ type: "custom", name, data }),
    canSend: opts.canSend,
    workerIndex: opts.workerIndex,
    runHandler: (fn) => runInScope(scope, fn),
  });
  const scope = opts.scope((type, data) => void messages.send(type, data));
  let running: Promise<void> = Promise.resolve();
  let ship: ShipState = initialShipState;

  // Hooks run one batch at a time, in the order the tests start and end: a test's onTestStart
  // waits for the previous test's onTestStop.
  const runHooks = (
    fns: Plan["testStart"],
    where: "onTestStart" | "onTestStop",
    base: Omit<TestHookContext, "log" | "workerIndex">,
    after?: Promise<unknown>,
  ) => {
    const run = Promise.all([running, after]).then(() =>
      runTestHooks(fns, { ...base, workerIndex: opts.workerIndex(), log: opts.log }, scope, opts.onException, where),
    );
    running = run;
    return run;
  };

  return {
    messages,
    testStart: (ctx) => (opts.plan.testStart.length === 0 ? undefined : runHooks(opts.plan.testStart, "onTestStart", ctx)),
    testStop: (ctx, usersGone) =>
      opts.plan.testStop.length === 0 ? Promise.resolve() : runHooks(opts.plan.testStop, "onTestStop", ctx, usersGone),
    idle: () => running,
    shipLogs() {
      const buffer = opts.logBuffer;
      if (!buffer) return;
      const step = shipLogs(ship, buffer.appended);
      ship = step.state;
      if (step.decision.action === "none") return;
      // Locust logs its warning first, so the last batch says why the tab stops updating.
      if (step.decision.action === "send_and_disable") opts.log.warn(step.decision.warning);
      opts.send({ type: "logs", lines: buffer.lines() });
    },
  };
}
