// The controls through the whole worker shell, in process: the test plays the master over a
// fake link and moves the timers by hand (the same paths run against real masters in
// test/e2e/controls.full.test.ts).
import { afterEach, describe, expect, test } from "bun:test";
import type { AnyDefinition } from "../../src/api/definitions.ts";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { constant, defineUser, onMessage, onTestStart, onTestStop, sendMessage } from "../../src/index.ts";
import { MetricsCollector } from "../../src/metrics/collector.ts";
import { LogBuffer, capturingLogger } from "../../src/worker/logs.ts";
import { type RunningWorker, startWorker } from "../../src/worker/worker.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { FakeLink, FakeTimers } from "../support/fake-link.ts";
import { recordingLogger } from "../support/fakes.ts";
import { waitFor } from "../support/wait.ts";

const running: RunningWorker[] = [];
afterEach(() => {
  for (const worker of running.splice(0)) worker.shutdown();
});

function setup(...definitions: AnyDefinition[]) {
  const clock = new FakeClock();
  const timers = new FakeTimers(clock);
  const link = new FakeLink();
  const log = recordingLogger();
  const logBuffer = new LogBuffer();
  const metrics = new MetricsCollector();
  const worker = startWorker({
    plan: buildPlan(collectDefinitions(definitions)),
    link: link.factory,
    nodeId: "node",
    log: capturingLogger(log, logBuffer, "info"),
    clock,
    every: timers.every,
    usage: () => ({ cpuPercent: 1, memoryBytes: 1 }),
    logBuffer,
    metrics,
  });
  running.push(worker);
  link.connect();
  link.deliver("ack", { index: 0 });
  const spawn = (counts: Record<string, number>, parsedOptions: Record<string, unknown> = {}) =>
    link.deliver("spawn", {
      timestamp: clock.epoch() + Math.random(),
      user_classes_count: counts,
      host: null,
      stop_timeout: 0,
      parsed_options: parsedOptions,
    });
  return { worker, link, timers, log, spawn, metrics, clock };
}

const idle = defineUser({ name: "Idle", waitTime: constant(3600), tasks: [{ name: "once", fn: () => {} }] });

describe("test hooks through the shell", () => {
  test("users start only after onTestStart finished, and onTestStop runs after they stopped", async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const user = defineUser({
      name: "Idle",
      waitTime: constant(3600),
      onStart: () => void order.push("user start"),
      onStop: () => void order.push("user stop"),
      tasks: [{ name: "once", fn: () => {} }],
    });
    const { link, spawn } = setup(
      user,
      onTestStart(async () => (order.push("test start"), await gate, order.push("test start done"))),
      onTestStop(() => void order.push("test stop")),
    );
    spawn({ Idle: 1 });
    await link.next("spawning");
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(["test start"]); // the spawn waits for the hook
    release();
    await link.next("spawning_complete");
    link.deliver("stop", null);
    await link.next("client_stopped");
    await waitFor(() => (order.includes("test stop") ? true : undefined), 2_000, "onTestStop");
    expect(order).toEqual(["test start", "test start done", "user start", "user stop", "test stop"]);
  });
});

describe("custom messages through the shell", () => {
  test("a handler's answer goes out as [type, data, node id]", async () => {
    const { link } = setup(
      idle,
      onMessage<{ n: number }>("ping", (data) => sendMessage("pong", { n: data.n + 1 })),
    );
    link.deliver("ping", { n: 41 });
    expect(await link.next("pong")).toEqual({ type: "pong", data: { n: 42 }, nodeId: "node" });
  });
});

describe("the Logs tab through the shell", () => {
  test("logs go out every 10 s only once the master has sent spawning_complete, and only when there are new lines", async () => {
    const { link, timers, spawn } = setup(
      idle,
      onTestStart((ctx) => ctx.log.info("hello from the hook")),
    );
    spawn({ Idle: 1 });
    await link.next("spawning_complete");
    timers.advance(10_000);
    expect(link.log.some((m) => m.type === "logs")).toBe(false); // no proof yet that the master is >= 2.29
    link.deliver("spawning_complete", { user_count: 1 });
    timers.advance(10_000);
    const logs = await link.next("logs");
    expect(logs.data.worker_id).toBe("node");
    expect(logs.data.logs.some((l: string) => l.endsWith("/INFO/loadworker: hello from the hook"))).toBe(true);
    timers.advance(10_000);
    expect(link.log.filter((m) => m.type === "logs")).toHaveLength(1); // nothing new, nothing sent
  });
});

describe("update_user_class and tags through the shell", () => {
  test("new users run the tasks the web UI kept and the master's tags allow", async () => {
    const ran = new Set<string>();
    const user = defineUser({
      name: "Edited",
      waitTime: constant(0.001),
      tasks: ["a", "b", "c"].map((name) => ({ name, tags: [name === "c" ? "never" : "ok"], fn: () => void ran.add(name) })),
    });
    const { link, spawn } = setup(user);
    link.deliver("update_user_class", { user_class_name: "Edited", tasks: ["b", "c"], host: "", weight: 1, fixed_count: 0 });
    spawn({ Edited: 2 }, { tags: ["ok"], exclude_tags: null });
    await link.next("spawning_complete");
    await waitFor(() => (ran.size > 0 ? true : undefined), 2_000, "a task");
    await new Promise((r) => setTimeout(r, 30));
    expect([...ran]).toEqual(["b"]);
  });
});

describe("/metrics through the shell", () => {
  test("counts what the stats reports carried, and the users per class", async () => {
    const user = defineUser({
      name: "Rec",
      waitTime: constant(3600),
      tasks: [{ name: "r", fn: (ctx) => ctx.recordSuccess("GET", "/m", 5, 1) }],
    });
    const { link, timers, spawn, metrics } = setup(user);
    spawn({ Rec: 3 });
    await link.next("spawning_complete");
    expect(metrics.snapshot().users).toEqual({ Rec: 3 });
    expect(metrics.snapshot().requests).toEqual([]); // nothing reported yet
    timers.advance(3_000);
    await link.next("stats");
    expect(metrics.snapshot().requests).toMatchObject([{ method: "GET", name: "/m", requests: 3, failures: 0, sumMs: 15 }]);
  });
});
