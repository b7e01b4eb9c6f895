// A whole worker in process: the real shell, machine, pool and stats, through a fake link and
// fake timers. No sockets and no sleeping: the test plays the master and moves time by hand.
import { afterEach, describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { constant, defineUser } from "../../src/index.ts";
import type { Timing } from "../../src/worker/timing.ts";
import { type RunningWorker, startWorker } from "../../src/worker/worker.ts";
import { FakeClock } from "../support/fake-clock.ts";
import { FakeLink, FakeTimers } from "../support/fake-link.ts";
import { recordingLogger } from "../support/fakes.ts";
import { within } from "../support/wait.ts";

const NODE = "inprocess_0123456789abcdef";

function setup(timing: Partial<Timing> = {}) {
  const ran: number[] = [];
  let allRan: () => void = () => {};
  const bothRan = new Promise<void>((resolve) => (allRan = resolve));
  const user = defineUser({
    name: "TestUser",
    waitTime: constant(3600), // one task per user, then a wait the stop cuts short
    tasks: [
      {
        name: "fetch",
        fn: (ctx) => {
          ctx.recordSuccess("GET", "/x", 12, 100);
          ran.push(ctx.userId);
          if (ran.length === 2) allRan();
        },
      },
    ],
  });
  const clock = new FakeClock();
  const timers = new FakeTimers(clock);
  const link = new FakeLink();
  const log = recordingLogger();
  const worker = startWorker({
    plan: buildPlan(collectDefinitions([user])),
    link: link.factory,
    nodeId: NODE,
    log,
    clock,
    every: timers.every,
    timing,
    usage: () => ({ cpuPercent: 1.5, memoryBytes: 4096 }),
  });
  running.push(worker);
  return { worker, link, timers, clock, log, ran, bothRan };
}

const running: RunningWorker[] = [];
afterEach(async () => {
  for (const worker of running.splice(0)) worker.shutdown();
});

describe("a worker driven in process through a fake link", () => {
  test("registers, spawns, reports stats, stops and quits, as a Locust master sees it", async () => {
    const { worker, link, timers, clock, ran, bothRan } = setup();
    expect(link.started).toBe(true);
    expect(link.identity).toBe(NODE);

    link.connect();
    expect((await link.next("client_ready")).nodeId).toBe(NODE);
    link.deliver("ack", { index: 4 });
    timers.advance(1_000);
    expect((await link.next("heartbeat")).data).toEqual({ state: "ready", current_cpu_usage: 1.5, current_memory_usage: 4096 });

    link.deliver("spawn", {
      timestamp: clock.epoch(),
      user_classes_count: { TestUser: 2 },
      host: "http://127.0.0.1:9",
      stop_timeout: 0,
      parsed_options: {},
    });
    await link.next("spawning");
    expect((await link.next("spawning_complete")).data).toEqual({ user_classes_count: { TestUser: 2 }, user_count: 2 });
    await within(bothRan, 5_000, "both users to run their task");
    expect(ran.sort()).toEqual([1, 2]);

    timers.advance(2_000); // 3 s since start: the stats report is due
    expect((await link.next("heartbeat")).data.state).toBe("running");
    const stats = (await link.next("stats")).data;
    expect(stats.user_count).toBe(2);
    expect(stats.user_classes_count).toEqual({ TestUser: 2 });
    expect(stats.stats).toHaveLength(1);
    expect(stats.stats[0]).toMatchObject({
      name: "/x",
      method: "GET",
      num_requests: 2,
      num_failures: 0,
      total_response_time: 24,
      total_content_length: 200,
    });
    expect(stats.stats_total.num_requests).toBe(2);

    link.deliver("stop", null);
    const flushed = (await link.next("stats")).data;
    expect(flushed.user_count).toBe(0);
    expect(flushed.stats).toEqual([]); // deltas: nothing new since the last report
    await link.next("client_stopped");
    await link.next("client_ready");

    link.deliver("quit", null);
    const final = (await link.next("stats")).data;
    expect(final.user_count).toBe(0);
    await link.next("quit");
    expect(await within(worker.done, 5_000, "the worker to exit")).toBe(0);
    expect(link.closed).toBe(true);
    expect(timers.active).toBe(0); // no interval outlives the worker
    expect(link.log.map((m) => m.type)).toEqual([
      "client_ready",
      "heartbeat",
      "spawning",
      "spawning_complete",
      "heartbeat",
      "heartbeat",
      "stats",
      "stats",
      "client_stopped",
      "client_ready",
      "stats",
      "quit",
    ]);
  });

  test("intervals are parameters: a 500 ms report interval reports twice a second", async () => {
    const clock = new FakeClock();
    const timers = new FakeTimers(clock);
    const link = new FakeLink();
    const user = defineUser({ name: "IdleUser", tasks: [{ name: "idle", fn: () => {} }] });
    const worker = startWorker({
      plan: buildPlan(collectDefinitions([user])),
      link: link.factory,
      log: recordingLogger(),
      clock,
      every: timers.every,
      timing: { reportMs: 500, heartbeatMs: 10_000 },
      usage: () => ({ cpuPercent: 0, memoryBytes: 0 }),
    });
    running.push(worker);
    link.connect();
    link.deliver("ack", { index: 0 });
    timers.advance(1_000);
    expect(link.log.filter((m) => m.type === "stats")).toHaveLength(2);
    expect(link.log.filter((m) => m.type === "heartbeat")).toHaveLength(0);
  });

  test("no master heartbeat for the configured timeout: users dropped, a new connection, client_ready again", async () => {
    const { link, timers, clock, bothRan } = setup({ masterHeartbeatTimeoutMs: 5_000 });
    link.connect();
    await link.next("client_ready");
    link.deliver("ack", { index: 1 });
    link.deliver("heartbeat", null); // a master ≥ 2.19 answers heartbeats; its silence now counts
    link.deliver("spawn", {
      timestamp: clock.epoch(),
      user_classes_count: { TestUser: 2 },
      host: null,
      stop_timeout: 0,
      parsed_options: {},
    });
    await link.next("spawning_complete");
    await within(bothRan, 5_000, "both users to run their task");
    timers.advance(4_000);
    expect(link.reconnects).toEqual([]);
    timers.advance(1_000);
    expect(link.reconnects).toHaveLength(1);
    expect(link.reconnects[0]).toContain("no heartbeat from the master for 5s");
    link.connect();
    await link.next("client_ready");
  });

  test("a master silent past the heartbeat timeout, then back: every request the users made reaches it", async () => {
    const clock = new FakeClock();
    const timers = new FakeTimers(clock);
    const link = new FakeLink();
    let recorded = 0;
    const user = defineUser({
      name: "Busy",
      waitTime: constant(0.002),
      tasks: [{ name: "call", fn: (ctx) => void (ctx.recordSuccess("GET", "/x", 1, 1), recorded++) }],
    });
    const worker = startWorker({
      plan: buildPlan(collectDefinitions([user])),
      link: link.factory,
      log: recordingLogger(),
      clock,
      every: timers.every,
      timing: { masterHeartbeatTimeoutMs: 10_000, silentStopSeconds: 1 },
      usage: () => ({ cpuPercent: 0, memoryBytes: 0 }),
    });
    running.push(worker);
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    link.connect();
    link.deliver("ack", { index: 0 });
    link.deliver("heartbeat", null);
    link.deliver("spawn", { timestamp: clock.epoch(), user_classes_count: { Busy: 3 }, host: null, stop_timeout: 0, parsed_options: {} });
    for (let s = 0; s < 3; s++) {
      await pause(20);
      timers.advance(1_000);
      link.deliver("heartbeat", null); // the master answers each heartbeat; at 3 s, a report
    }
    expect(link.log.filter((m) => m.type === "stats")).toHaveLength(1);
    for (let s = 0; s < 10; s++) {
      await pause(20); // the users keep calling while the master says nothing
      timers.advance(1_000);
    }
    expect(link.log.filter((m) => m.type === "stats")).toHaveLength(1); // held, not written into a silent connection
    expect(link.reconnects).toHaveLength(1); // 10 s without a heartbeat (since 3 s): users stopped, a new connection
    await pause(100); // the users leave their waits and end
    const madeBeforeRegistering = recorded;
    link.connect();
    link.deliver("ack", { index: 0 });
    link.deliver("spawn", {
      timestamp: clock.epoch() + 1,
      user_classes_count: { Busy: 0 },
      host: null,
      stop_timeout: 0,
      parsed_options: {},
    });
    link.deliver("quit", null);
    await within(worker.done, 5_000, "the worker to quit");
    const reported = link.log.filter((m) => m.type === "stats").reduce((sum, m) => sum + m.data.stats_total.num_requests, 0);
    expect(recorded).toBe(madeBeforeRegistering); // the users were stopped at the timeout
    expect(reported).toBe(recorded);
  });
});
