// A master that stops reading (frozen by SIGSTOP, a long GC, a paused VM) and comes back: the
// worker holds its stats (deltas: they merge by themselves) instead of writing them into a
// connection nobody reads, keeps them through the heartbeat timeout, and registers again
// within a few seconds of the master waking.
import { describe, expect, test } from "bun:test";
import type { MasterMessage } from "../../src/protocol/index.ts";
import type { Effect } from "../../src/worker/effect.ts";
import { type MachineEvent, transition } from "../../src/worker/machine.ts";
import { type MachineState, initialState, isRegistered } from "../../src/worker/state.ts";
import { LOCUST_TIMING, parseTiming } from "../../src/worker/timing.ts";

const msg = (message: MasterMessage): MachineEvent => ({ type: "message", message });
const spawn = (timestamp: number): MachineEvent =>
  msg({ type: "spawn", timestamp, userClassesCount: { A: 2 }, host: null, stopTimeout: 0, parsedOptions: {} });

function run(events: Array<[MachineEvent, number]>, from: MachineState = initialState) {
  let state = from;
  const effects: Effect[] = [];
  for (const [event, now] of events) {
    const t = transition(state, event, now);
    state = t.state;
    effects.push(...t.effects);
  }
  return {
    state,
    effects,
    logs: effects.filter((e) => e.type === "log").map((e) => (e as { message: string }).message),
    acts: effects.filter((e) => e.type !== "log"),
  };
}

/** Registered, running two users, and the master answered a heartbeat at 1 s. */
const running = run([
  [{ type: "connected" }, 0],
  [msg({ type: "ack", index: 0 }), 10],
  [spawn(100), 20],
  [{ type: "spawned", seq: 1 }, 30],
  [msg({ type: "heartbeat" }), 1_000],
]).state;

describe("a master that stops answering heartbeats", () => {
  test("gets no stats reports while it is silent, with one warning; they resume, merged, once it answers", () => {
    const ticks = (from: number, to: number): Array<[MachineEvent, number]> =>
      Array.from({ length: (to - from) / 1000 + 1 }, (_, i) => [{ type: "tick" }, from + i * 1000]);
    const silent = run(
      [
        ...ticks(2_000, 3_000),
        [{ type: "report_due" }, 3_000],
        ...ticks(4_000, 6_000),
        [{ type: "report_due" }, 6_000],
        ...ticks(7_000, 9_000),
        [{ type: "report_due" }, 9_000],
      ],
      running,
    );
    expect(silent.acts.filter((e) => e.type === "stats")).toEqual([{ type: "stats", final: false }]); // at 3 s it was quiet for 2 s only
    expect(silent.logs.filter((l) => l.includes("holding stats"))).toHaveLength(1);
    const back = run(
      [
        [msg({ type: "heartbeat" }), 9_500],
        [{ type: "report_due" }, 12_000],
      ],
      silent.state,
    );
    expect(back.acts).toEqual([{ type: "stats", final: false }]);
    expect(back.logs.some((l) => l.includes("answers again"))).toBe(true);
  });

  test("at the heartbeat timeout, stops its users gracefully but keeps their stats, and reconnects", () => {
    const timeout = LOCUST_TIMING.masterHeartbeatTimeoutMs;
    const { state, acts } = run([[{ type: "tick" }, 1_000 + timeout]], running);
    expect(isRegistered(state)).toBe(false);
    expect(acts.map((e) => e.type)).toEqual(["kill_users", "test_stop", "reconnect"]); // no reset_stats
    expect(acts[0]).toEqual({ type: "kill_users", graceSeconds: LOCUST_TIMING.silentStopSeconds });
  });

  test("after that, the stats kept go to the master it registers with, before the next test's spawn resets anything", () => {
    const lost = run([[{ type: "tick" }, 1_000 + LOCUST_TIMING.masterHeartbeatTimeoutMs]], running).state;
    const t = 70_000;
    const { acts } = run(
      [[{ type: "connected" }, t], [msg({ type: "ack", index: 0 }), t + 100], [spawn(t)]].map(([e, n]) => [e, n ?? t + 200]) as Array<
        [MachineEvent, number]
      >,
      lost,
    );
    expect(acts.filter((e) => e.type === "reset_stats")).toEqual([]);
    expect(acts.map((e) => e.type)).toEqual(["send", "send", "stats", "test_start", "apply_spawn"]); // client_ready, spawning, the kept stats, the users
  });

  test("registers again on a new connection when the first client_ready after it gets no ack within 2 s (the master may still hold the old one)", () => {
    const lost = run([[{ type: "tick" }, 1_000 + LOCUST_TIMING.masterHeartbeatTimeoutMs]], running).state;
    const t = 80_000; // the master wakes; the connection made meanwhile is still held by its old one
    const { state, acts } = run(
      [
        [{ type: "connected" }, t],
        [{ type: "tick" }, t + 1_000],
        [{ type: "tick" }, t + 2_000],
      ],
      lost,
    );
    expect(acts).toEqual([
      { type: "send", message: "client_ready" },
      { type: "reconnect", reason: expect.stringContaining("new connection") },
    ]);
    const again = run(
      [
        [{ type: "connected" }, t + 2_200],
        [msg({ type: "ack", index: 0 }), t + 2_300],
      ],
      state,
    );
    expect(isRegistered(again.state)).toBe(true);
  });
});

describe("a master that falls silent while the link is down (it went away)", () => {
  test("still costs the old test's stats at the timeout: the master that comes back may be a new one", () => {
    const down = run([[{ type: "disconnected" }, 2_000]], running).state;
    const { acts } = run([[{ type: "tick" }, 1_000 + LOCUST_TIMING.masterHeartbeatTimeoutMs]], down);
    expect(acts.map((e) => e.type)).toEqual(["kill_users", "reset_stats", "test_stop", "reconnect"]);
  });
});

describe("parseTiming (LOADWORKER_TIMING, for tests and diagnosis)", () => {
  test("takes known fields as numbers above 0, and nothing when unset", () => {
    expect(parseTiming(undefined)).toEqual({});
    expect(parseTiming(" ")).toEqual({});
    expect(parseTiming('{"masterHeartbeatTimeoutMs":8000,"silentStopSeconds":2}')).toEqual({
      masterHeartbeatTimeoutMs: 8000,
      silentStopSeconds: 2,
    });
  });

  test.each([
    ["not json", "is not JSON"],
    ["[1]", "must be a JSON object"],
    ['{"heartbeat":1}', 'unknown field "heartbeat"; the fields are: heartbeatMs'],
    ['{"reportMs":0}', "LOADWORKER_TIMING.reportMs must be a number above 0, not 0"],
    ['{"reportMs":"3"}', 'must be a number above 0, not "3"'],
  ])("rejects %s, saying what is wrong", (text, message) => {
    expect(() => parseTiming(text)).toThrow(message);
  });
});

describe("an event-loop stall on the worker's side", () => {
  test("is not taken for a silent master: no heartbeat went out, so none could be answered", () => {
    // Heartbeats answered up to 1 s, then the loop blocks for 5 s; after it, one tick and the report.
    const { acts, logs } = run(
      [
        [{ type: "tick" }, 6_000],
        [{ type: "report_due" }, 6_001],
      ],
      running,
    );
    expect(acts).toEqual([
      { type: "heartbeat", state: "running" },
      { type: "stats", final: false },
    ]);
    expect(logs).toEqual([]);
  });
});

describe("registering again after a silence, with a master slow to ack", () => {
  test("goes back to Locust's pace (3 client_ready 5 s apart per connection) after 3 quick connections", () => {
    let state = run([[{ type: "tick" }, 1_000 + LOCUST_TIMING.masterHeartbeatTimeoutMs]], running).state;
    let t = 70_000;
    for (let quick = 0; quick < 3; quick++) {
      const r = run(
        [
          [{ type: "connected" }, t],
          [{ type: "tick" }, t + 2_000],
        ],
        state,
      );
      expect(r.acts.map((e) => e.type)).toEqual(["send", "reconnect"]);
      state = r.state;
      t += 3_000;
    }
    const slow = run(
      [
        [{ type: "connected" }, t],
        [{ type: "tick" }, t + 2_000],
        [{ type: "tick" }, t + 5_000],
        [{ type: "tick" }, t + 10_000],
      ],
      state,
    );
    expect(slow.acts.map((e) => e.type)).toEqual(["send", "send", "send"]);
  });
});
