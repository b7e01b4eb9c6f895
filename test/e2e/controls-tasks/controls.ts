// Tasks for the controls end-to-end tests (test/e2e/controls*.test.ts). Each test names the
// classes it runs on the master's command line (`locust -f master.py Ticker`), so the master
// splits users among those only. Tasks record without I/O unless they say otherwise.
import { constant, defineUser, onMessage, onTestStart, onTestStop, sendMessage } from "../../../src/index.ts";

/** --max-rps: as fast as the limiter lets it, one recorded request per task execution. */
export const ticker = defineUser({
  name: "Ticker",
  tasks: [{ name: "tick", fn: (ctx) => ctx.recordSuccess("tick", "tick", 1, 0) }],
});

/** update_user_class: each user records under its own id, so a new user's tasks can be told apart. */
export const editable = defineUser({
  name: "Editable",
  waitTime: constant(0.05),
  tasks: [
    { name: "first", fn: (ctx) => ctx.recordSuccess(`u${ctx.userId}`, "first", 1, 0) },
    { name: "second", fn: (ctx) => ctx.recordSuccess(`u${ctx.userId}`, "second", 1, 0) },
  ],
});

/** --tags / --exclude-tags. */
export const tagged = defineUser({
  name: "Tagged",
  waitTime: constant(0.02),
  tasks: [
    { name: "fast", tags: ["fast"], fn: (ctx) => ctx.recordSuccess("task", "fast", 1, 0) },
    { name: "fast-but-flaky", tags: ["fast", "flaky"], fn: (ctx) => ctx.recordSuccess("task", "fast-but-flaky", 1, 0) },
    { name: "slow", tags: ["slow"], fn: (ctx) => ctx.recordSuccess("task", "slow", 1, 0) },
    { name: "untagged", fn: (ctx) => ctx.recordSuccess("task", "untagged", 1, 0) },
  ],
});

/** fixed_count: each user records its start once, under its class. */
export const fixed = defineUser({
  name: "Fixed",
  fixedCount: 3,
  waitTime: constant(0.5),
  onStart: (ctx) => ctx.recordSuccess("start", "Fixed", 1, 0),
  tasks: [{ name: "fixed-idle", fn: () => {} }],
});

export const rest = defineUser({
  name: "Rest",
  waitTime: constant(0.5),
  onStart: (ctx) => ctx.recordSuccess("start", "Rest", 1, 0),
  tasks: [{ name: "rest-idle", fn: () => {} }],
});

/** Custom messages from a task: one that goes through, one that cannot be encoded; then the user ends. */
export const messenger = defineUser({
  name: "Messenger",
  waitTime: constant(0.2),
  tasks: [
    {
      name: "say hello",
      fn: (ctx) => {
        sendMessage("task_hello", { from: `worker ${ctx.workerIndex}`, user: ctx.userId });
        ctx.sendMessage("unencodable", { when: new Date() });
        ctx.recordSuccess("task", "said hello", 1, 0);
        // Locust's RescheduleTask: the rest of the task is skipped without a failure.
        ctx.rescheduleTask();
      },
    },
  ],
});

// The master's test_start handler (master_extra.py) sends "ping"; we answer with "pong".
export const ping = onMessage<{ n: number }>("ping", (data, ctx) => {
  ctx.log.info(`got ping ${data.n}`);
  sendMessage("pong", { n: data.n, worker: ctx.workerIndex });
});

export const boom = onMessage("boom", () => {
  throw new Error("a handler that throws");
});

export const started = onTestStart((ctx) => ctx.log.info(`onTestStart ran (host ${ctx.host ?? "none"})`));
export const stopped = onTestStop((ctx) => ctx.log.info("onTestStop ran"));
