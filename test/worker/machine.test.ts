import { describe, expect, test } from "bun:test";
import type { MasterMessage } from "../../src/protocol/index.ts";
import type { Effect } from "../../src/worker/effect.ts";
import { type MachineEvent, transition } from "../../src/worker/machine.ts";
import { type MachineState, initialState, isRegistered } from "../../src/worker/state.ts";

const spawn = (timestamp: number, counts: Record<string, number>, host: string | null = null): MachineEvent => ({
  type: "message",
  message: { type: "spawn", timestamp, userClassesCount: counts, host, stopTimeout: 2, parsedOptions: {} },
});
const msg = (message: MasterMessage): MachineEvent => ({ type: "message", message });

/** Runs events through the machine from `from`, collecting every effect (logs and test hooks left out unless asked for). */
function run(events: Array<[MachineEvent, number]>, from: MachineState = initialState, keep: Array<Effect["type"]> = []) {
  let state = from;
  const effects: Effect[] = [];
  const hidden = new Set<Effect["type"]>(
    ["log", "test_start", "test_stop"].filter((t) => !keep.includes(t as Effect["type"])) as Array<Effect["type"]>,
  );
  for (const [event, now] of events) {
    const t = transition(state, event, now);
    state = t.state;
    effects.push(...t.effects.filter((e) => !hidden.has(e.type)));
  }
  return { state, effects };
}

const registered = run([
  [{ type: "connected" }, 0],
  [msg({ type: "ack", index: 3 }), 10],
]).state;

describe("the worker lifecycle", () => {
  test("sends client_ready once connected, and again every 5 s until the master acks", () => {
    const { state, effects } = run([
      [{ type: "connected" }, 0],
      [{ type: "tick" }, 1000],
      [{ type: "tick" }, 5000],
      [msg({ type: "ack", index: 3 }), 5100],
      [{ type: "tick" }, 10_500],
    ]);
    expect(effects.filter((e) => e.type === "send")).toEqual([
      { type: "send", message: "client_ready" },
      { type: "send", message: "client_ready" },
    ]);
    expect(state.phase).toBe("ready");
    expect(state.workerIndex).toBe(3);
    expect(effects.at(-1)).toEqual({ type: "heartbeat", state: "ready" });
  });

  test("does not send client_ready while the connection is down", () => {
    const { effects } = run([[{ type: "tick" }, 6000]]);
    expect(effects).toEqual([]);
  });

  test("applies a spawn: spawning, reset stats for a new test, then spawning_complete once users run", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 2 }, "http://t"), 20],
        [{ type: "spawned", seq: 1 }, 21],
      ],
      registered,
    );
    expect(effects).toEqual([
      { type: "send", message: "spawning" },
      { type: "reset_stats" },
      { type: "apply_spawn", seq: 1, targets: { A: 2 }, host: "http://t", stopTimeout: 2, parsedOptions: {} },
      { type: "spawning_complete" },
    ]);
    expect(state.phase).toBe("running");
  });

  test("drops a stale spawn but still says spawning, as Locust's worker does", () => {
    const { effects } = run(
      [
        [spawn(100, { A: 2 }), 20],
        [spawn(99, { A: 5 }), 30],
      ],
      registered,
    );
    expect(effects.filter((e) => e.type === "apply_spawn")).toHaveLength(1);
    expect(effects.filter((e) => e.type === "send")).toHaveLength(2);
  });

  test("a second spawn while running retargets without resetting stats", () => {
    const { effects } = run(
      [
        [spawn(100, { A: 1 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
        [spawn(101, { A: 3 }), 1020],
      ],
      registered,
    );
    expect(effects.filter((e) => e.type === "reset_stats")).toHaveLength(1);
    expect(effects.filter((e) => e.type === "apply_spawn").at(-1)).toMatchObject({ seq: 2, targets: { A: 3 } });
  });

  test("completion of an older spawn is ignored while a newer one is applied", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 1 }), 20],
        [spawn(101, { A: 3 }), 21],
        [{ type: "spawned", seq: 1 }, 22],
      ],
      registered,
    );
    expect(state.phase).toBe("spawning");
    expect(effects.some((e) => e.type === "spawning_complete")).toBe(false);
  });

  test("on stop: stops users within stop_timeout, flushes stats, then client_stopped and client_ready", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 1 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
        [msg({ type: "stop" }), 500],
        [{ type: "stopped", seq: 1 }, 900],
      ],
      registered,
    );
    expect(effects.slice(-4)).toEqual([
      { type: "stop_users", seq: 1, stopTimeout: 2 },
      { type: "stats", final: false },
      { type: "send", message: "client_stopped" },
      { type: "send", message: "client_ready" },
    ]);
    expect(state.phase).toBe("ready");
  });

  test("on quit: sends final stats and quit at once, then drops users and exits 0", () => {
    const { state, effects } = run([[msg({ type: "quit" }), 50]], registered);
    expect(effects).toEqual([
      { type: "stats", final: true },
      { type: "send", message: "quit" },
      { type: "kill_users" },
      { type: "exit", code: 0 },
    ]);
    expect(transition(state, { type: "tick" }, 2000).effects).toEqual([]);
  });

  test("a shutdown before registering exits without talking to the master, and says so", () => {
    expect(run([[{ type: "shutdown" }, 5]]).effects).toEqual([{ type: "kill_users" }, { type: "exit", code: 0 }]);
    expect(run([[{ type: "shutdown" }, 5]], initialState, ["log"]).effects[0]).toEqual({
      type: "log",
      level: "info",
      message: "shutting down: not registered with a master, so nothing to send",
    });
  });

  test("heartbeats report spawning while spawning and running afterwards", () => {
    const { effects } = run(
      [
        [spawn(100, { A: 1 }), 20],
        [{ type: "tick" }, 1000],
        [{ type: "spawned", seq: 1 }, 1001],
        [{ type: "tick" }, 2000],
      ],
      registered,
    );
    expect(effects.filter((e) => e.type === "heartbeat").map((e) => (e as { state: string }).state)).toEqual(["spawning", "running"]);
  });

  test("stats go out on every report tick once registered, never before", () => {
    expect(run([[{ type: "report_due" }, 3000]]).effects).toEqual([]);
    expect(run([[{ type: "report_due" }, 3000]], registered).effects).toEqual([{ type: "stats", final: false }]);
  });

  test("after a reconnect, a master that answers heartbeats keeps us registered", () => {
    const { state, effects } = run(
      [
        [msg({ type: "heartbeat" }), 100],
        [{ type: "disconnected" }, 200],
        [{ type: "connected" }, 1200],
        [msg({ type: "heartbeat" }), 2300],
        [{ type: "tick" }, 6000],
      ],
      registered,
    );
    expect(isRegistered(state)).toBe(true);
    expect(effects.some((e) => e.type === "send" && e.message === "client_ready")).toBe(false);
  });

  test("after a reconnect to a restarted master that never answers, it registers again and drops its users", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 1 }), 20],
        [msg({ type: "heartbeat" }), 100],
        [{ type: "disconnected" }, 200],
        [{ type: "connected" }, 1200],
        [{ type: "tick" }, 2200],
        [{ type: "tick" }, 4800],
      ],
      registered,
    );
    expect(isRegistered(state)).toBe(false);
    expect(state.phase).toBe("connecting");
    expect(effects.slice(-3)).toEqual([{ type: "kill_users" }, { type: "reset_stats" }, { type: "send", message: "client_ready" }]);
    // The restarted master's first spawn is not mistaken for a stale one.
    const again = run(
      [
        [msg({ type: "ack", index: 0 }), 5000],
        [spawn(50, { A: 1 }), 5100],
      ],
      state,
    );
    expect(again.effects.some((e) => e.type === "apply_spawn")).toBe(true);
  });

  test("holds stats while it does not know whether a reconnected master still knows it", () => {
    const probing = run(
      [
        [msg({ type: "heartbeat" }), 100],
        [{ type: "disconnected" }, 200],
        [{ type: "connected" }, 1200],
      ],
      registered,
    ).state;
    expect(run([[{ type: "report_due" }, 3000]], probing).effects).toEqual([]);
    expect(
      run(
        [
          [msg({ type: "heartbeat" }), 2000],
          [{ type: "report_due" }, 3000],
        ],
        probing,
      ).effects,
    ).toEqual([{ type: "stats", final: false }]);
  });

  test("sends neither stats nor heartbeats while the connection is down (they would reach the next master)", () => {
    const down = run([[{ type: "disconnected" }, 200]], registered).state;
    expect(
      run(
        [
          [{ type: "report_due" }, 3000],
          [{ type: "tick" }, 3001],
        ],
        down,
      ).effects,
    ).toEqual([]);
  });

  test("after a reconnect to a master that never answers heartbeats (< 2.19), it says client_ready but keeps its users", () => {
    const running = run(
      [
        [spawn(100, { A: 2 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
      ],
      registered,
    ).state;
    const { state, effects } = run(
      [
        [{ type: "disconnected" }, 500],
        [{ type: "connected" }, 900],
      ],
      running,
    );
    expect(effects).toEqual([{ type: "send", message: "client_ready" }]);
    expect(state.phase).toBe("running");
    const acked = run(
      [
        [msg({ type: "ack", index: 3 }), 950],
        [{ type: "tick" }, 1900],
        [{ type: "report_due" }, 3000],
      ],
      state,
    );
    expect(isRegistered(acked.state)).toBe(true);
    expect(acked.effects).toEqual([
      { type: "heartbeat", state: "running" },
      { type: "stats", final: false },
    ]);
    // A spawn from a restarted master still applies: its timestamps are newer.
    expect(run([[spawn(4000, { A: 1 }), 4000]], acked.state).effects.some((e) => e.type === "apply_spawn")).toBe(true);
  });

  test("...but a different worker index in the ack means a restarted master: it drops the old users", () => {
    const running = run(
      [
        [spawn(100, { A: 2 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
      ],
      registered,
    ).state; // index 3
    const kept = run(
      [
        [{ type: "disconnected" }, 500],
        [{ type: "connected" }, 900],
      ],
      running,
    ).state;
    const { state, effects } = run([[msg({ type: "ack", index: 0 }), 950]], kept);
    expect(effects).toEqual([{ type: "kill_users" }, { type: "reset_stats" }]);
    expect(state.phase).toBe("ready");
  });

  test("60 s without a master heartbeat counts as a lost master: stop users, reconnect, then register on the new connection", () => {
    const { state, effects } = run(
      [
        [msg({ type: "heartbeat" }), 100],
        [{ type: "tick" }, 60_099],
        [{ type: "tick" }, 60_100],
      ],
      registered,
    );
    expect(isRegistered(state)).toBe(false);
    // Connected but silent: the stats stay for the master (test/worker/silent-master.test.ts).
    expect(effects.slice(-2)).toMatchObject([{ type: "kill_users", graceSeconds: 10 }, { type: "reconnect" }]);
    expect(run([[{ type: "connected" }, 60_300]], state).effects).toEqual([{ type: "send", message: "client_ready" }]);
  });

  test("a spawn that arrives while stopping is applied once the stop is done, after client_ready", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 2 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
        [msg({ type: "stop" }), 500],
        [spawn(200, { A: 4 }), 600],
        [{ type: "stopped", seq: 1 }, 900],
      ],
      registered,
    );
    const tail = effects.slice(effects.findIndex((e) => e.type === "stop_users"));
    expect(tail.map((e) => (e.type === "send" ? e.message : e.type))).toEqual([
      "stop_users",
      "stats",
      "client_stopped",
      "client_ready",
      "spawning",
      "reset_stats",
      "apply_spawn",
    ]);
    expect(tail.at(-1)).toMatchObject({ type: "apply_spawn", targets: { A: 4 } });
    expect(state.phase).toBe("spawning");
    expect("pendingSpawn" in state).toBe(false); // only a stopping worker holds a spawn
  });

  test("stop, spawn, stop while stopping: the spawn is void, the worker ends ready", () => {
    const { state, effects } = run(
      [
        [spawn(100, { A: 2 }), 20],
        [{ type: "spawned", seq: 1 }, 21],
        [msg({ type: "stop" }), 500],
        [spawn(200, { A: 1 }), 600],
        [msg({ type: "stop" }), 700],
        [{ type: "stopped", seq: 1 }, 900],
      ],
      registered,
    );
    expect(effects.filter((e) => e.type === "apply_spawn")).toHaveLength(1);
    expect(state.phase).toBe("ready");
  });

  test("a stop that finishes after the worker re-registered is ignored", () => {
    const stopping = run(
      [
        [spawn(100, { A: 1 }), 20],
        [msg({ type: "heartbeat" }), 30],
        [msg({ type: "stop" }), 500],
      ],
      registered,
    ).state;
    // The master dies; the reconnected one does not know us; we register again and start anew.
    const again = run(
      [
        [{ type: "disconnected" }, 600],
        [{ type: "connected" }, 700],
        [{ type: "tick" }, 4300],
        [msg({ type: "ack", index: 0 }), 4400],
        [spawn(5, { A: 1 }), 4500],
      ],
      stopping,
    ).state;
    const late = run([[{ type: "stopped", seq: 1 }, 5000]], again);
    expect(late.effects).toEqual([]);
    expect(late.state.phase).toBe("spawning");
  });

  test("users that converge while the master may not know us send no spawning_complete (it would answer quit)", () => {
    const probing = run(
      [
        [msg({ type: "heartbeat" }), 10],
        [spawn(100, { A: 1 }), 20],
        [{ type: "disconnected" }, 30],
        [{ type: "connected" }, 40],
      ],
      registered,
    ).state;
    const { state, effects } = run([[{ type: "spawned", seq: 1 }, 50]], probing);
    expect(effects).toEqual([]);
    expect(state.phase).toBe("running");
  });

  test("without an ack after a few client_ready on one connection, it tries a new connection", () => {
    const { state, effects } = run([
      [{ type: "connected" }, 0],
      [{ type: "tick" }, 5000],
      [{ type: "tick" }, 10_000],
      [{ type: "tick" }, 15_000],
    ]);
    expect(effects.filter((e) => e.type === "send")).toHaveLength(3);
    expect(effects.at(-1)).toMatchObject({ type: "reconnect" });
    expect(state.linkUp).toBe(false);
    expect(run([[{ type: "connected" }, 15_200]], state).effects).toEqual([{ type: "send", message: "client_ready" }]);
  });

  test("under --reset-stats, the master's spawning_complete resets the ramp-up stats", () => {
    const withReset: MachineEvent = {
      type: "message",
      message: {
        type: "spawn",
        timestamp: 5,
        userClassesCount: { A: 1 },
        host: null,
        stopTimeout: 0,
        parsedOptions: { reset_stats: true },
      },
    };
    const complete = msg({ type: "spawning_complete", userCount: 1 });
    expect(
      run(
        [
          [withReset, 10],
          [complete, 20],
        ],
        registered,
      ).effects.filter((e) => e.type === "reset_stats"),
    ).toHaveLength(2);
    expect(
      run(
        [
          [spawn(5, { A: 1 }), 10],
          [complete, 20],
        ],
        registered,
      ).effects.filter((e) => e.type === "reset_stats"),
    ).toHaveLength(1);
  });

  test("the master's reconnect message reopens the socket without a new client_ready", () => {
    const { effects } = run([[msg({ type: "reconnect" }), 100]], registered);
    expect(effects).toEqual([{ type: "reconnect", reason: "the master asked for it" }]);
  });

  test("update_user_class and custom messages go to the shell as they are", () => {
    const update = transition(registered, msg({ type: "update_user_class", userClassName: "A", weight: 2, tasks: ["t"] }), 50);
    expect(update.state).toBe(registered);
    expect(update.effects.filter((e) => e.type !== "log")).toEqual([
      { type: "update_class", update: { userClassName: "A", weight: 2, tasks: ["t"] } },
    ]);
    const custom = transition(registered, msg({ type: "custom", name: "x", data: { a: 1 } }), 50);
    expect(custom.effects).toEqual([{ type: "custom_message", name: "x", data: { a: 1 } }]);
  });
});

describe("test hooks (Locust's test_start / test_stop, once per test per worker)", () => {
  const hooks = (events: Array<[MachineEvent, number]>, from = registered) =>
    run(events, from, ["test_start", "test_stop"])
      .effects.filter((e) => e.type === "test_start" || e.type === "test_stop" || e.type === "apply_spawn" || e.type === "exit")
      .map((e) => e.type);

  test("test_start comes before the first spawn of a test only; test_stop once the users stopped", () => {
    expect(
      hooks([
        [spawn(1, { A: 1 }), 100],
        [spawn(2, { A: 5 }), 200],
        [msg({ type: "stop" }), 300],
        [{ type: "stopped", seq: 1 }, 400],
        [spawn(3, { A: 1 }), 500],
      ]),
    ).toEqual(["test_start", "apply_spawn", "apply_spawn", "test_stop", "test_start", "apply_spawn"]);
  });

  test("quit ends a running test before the worker exits; without a test there is no test_stop", () => {
    expect(
      hooks([
        [spawn(1, { A: 1 }), 100],
        [msg({ type: "quit" }), 200],
      ]),
    ).toEqual(["test_start", "apply_spawn", "test_stop", "exit"]);
    expect(hooks([[msg({ type: "quit" }), 200]])).toEqual(["exit"]);
  });

  test("a lost master ends the test (its users are dropped)", () => {
    expect(
      hooks([
        [msg({ type: "heartbeat" }), 50],
        [spawn(1, { A: 1 }), 100],
        [{ type: "tick" }, 100 + 61_000],
      ]),
    ).toEqual(["test_start", "apply_spawn", "test_stop"]);
  });
});

describe("the Logs tab", () => {
  test("logs go out every interval only to a master that sent spawning_complete (≥ 2.29)", () => {
    expect(run([[{ type: "logs_due" }, 100]], registered).effects).toEqual([]);
    const { effects } = run(
      [
        [msg({ type: "spawning_complete", userCount: 4 }), 50],
        [{ type: "logs_due" }, 100],
      ],
      registered,
    );
    expect(effects).toEqual([{ type: "ship_logs" }]);
  });

  test("not while the link is down", () => {
    const { effects } = run(
      [
        [msg({ type: "spawning_complete", userCount: 4 }), 50],
        [{ type: "disconnected" }, 60],
        [{ type: "logs_due" }, 100],
      ],
      registered,
    );
    expect(effects).toEqual([]);
  });
});
