// The worker against a scriptable master that sends junk: every bad message is logged once with
// what was wrong, and the worker keeps serving the next valid one.
import { beforeAll, describe, expect, test } from "bun:test";
import { encode } from "@msgpack/msgpack";
import { FakeMaster } from "../support/fake-master.ts";
import { useE2e } from "../support/e2e.ts";
import type { Proc } from "../support/procs.ts";
import { waitFor, within } from "../support/wait.ts";

const e2e = useE2e({ server: false });
let master: FakeMaster;
let worker: Proc;

beforeAll(async () => {
  master = await FakeMaster.start();
  e2e.onStop(() => master.stop());
  worker = e2e.worker(["--master-port", String(master.port), "--host", "http://127.0.0.1:9"]);
});

const spawnData = (timestamp: number, counts: unknown, extra: Record<string, unknown> = {}) => ({
  timestamp,
  user_classes_count: counts,
  host: "",
  stop_timeout: null,
  parsed_options: {},
  ...extra,
});

describe("a worker fed malformed messages", () => {
  test("registers with client_ready -1 on a single frame whose node_id is its ZMQ identity", async () => {
    const ready = await master.next((m) => m.type === "client_ready");
    expect(ready.data).toBe(-1);
    expect(ready.frames).toBe(2); // [identity, payload] at the ROUTER: no empty delimiter frame
    expect(ready.node_id).toBe(ready.identity);
    master.send("ack", { index: 7 });
    const hb = await master.next((m) => m.type === "heartbeat", ready.index);
    expect(hb.data.state).toBe("ready");
    expect(typeof hb.data.current_cpu_usage).toBe("number");
    expect(hb.data.current_memory_usage).toBeGreaterThan(1_000_000);
  });

  test("logs each bad message once, stays up, and still applies the next valid spawn", async () => {
    const before = master.count;
    const junk: Array<[string, () => void]> = [
      ["not msgpack", () => master.sendRaw(new Uint8Array([0xc1, 0xc1, 0xc1]))],
      ["a 2-element array", () => master.sendRaw(encode(["spawn", {}]))],
      ["a map envelope", () => master.sendRaw(encode({ type: "spawn", data: {}, node_id: "x" }))],
      ["type not a string", () => master.sendRaw(encode([42, null, "x"]))],
      ["user_classes_count not a map", () => master.send("spawn", spawnData(1, [1, 2]))],
      ["a negative count", () => master.send("spawn", spawnData(2, { Hitter: -3 }))],
      ["host not a string", () => master.send("spawn", spawnData(3, { Hitter: 1 }, { host: 5 }))],
      ["timestamp not a number", () => master.send("spawn", spawnData("soon" as unknown as number, { Hitter: 1 }))],
      ["an ack without index", () => master.send("ack", { nope: 1 })],
      ["a 3-frame message", () => master.sendFrames([new Uint8Array([1]), new Uint8Array([2]), new Uint8Array([3])])],
    ];
    for (const [, send] of junk) send();
    master.send("spawn", spawnData(10, { Hitter: 2 }));
    const done = await master.next((m) => m.type === "spawning_complete", before);
    expect(done.data.user_classes_count).toEqual({ Hitter: 2 });
    expect(done.data.user_count).toBe(2);
    // Nothing bad was applied: no spawning_complete before the valid spawn's.
    expect(
      master
        .all()
        .slice(before, done.index)
        .filter((m) => m.type === "spawning_complete"),
    ).toEqual([]);
    const log = worker.output();
    const dropped = log.split("\n").filter((l) => l.includes("dropped"));
    expect(dropped).toHaveLength(junk.length);
    expect(log).toMatch(/user_classes_count/);
    expect(log).toMatch(/host/);
    expect(worker.child.exitCode).toBeNull();
  });

  test("stats reports carry integer-keyed maps and the master's class names", async () => {
    const stats = await master.next((m) => m.type === "stats" && m.data.stats_total.num_requests > 0, 0, 15_000);
    expect(stats.data.user_classes_count).toEqual({ Hitter: 2 });
    expect(stats.int_keys).toContain("data.stats_total.num_reqs_per_sec");
    expect(typeof stats.data.stats_total.start_time).toBe("number");
    expect(stats.data.errors).toBeDefined();
  });

  test("on stop: final stats, client_stopped, client_ready; a new test spawns again; on quit: zeroed stats, quit, exit 0", async () => {
    const before = master.count;
    master.send("stop", null);
    const stopped = await master.next((m) => m.type === "client_stopped", before);
    const flushed = master
      .all()
      .slice(before, stopped.index)
      .some((m) => m.type === "stats");
    expect(flushed).toBe(true);
    const ready = await master.next((m) => m.type === "client_ready", stopped.index);
    expect(ready.data).toBe(-1);
    master.send("ack", { index: 7 });
    await waitFor(
      () =>
        master
          .all()
          .slice(ready.index)
          .some((m) => m.type === "heartbeat" && m.data.state === "ready"),
      5000,
      "a ready heartbeat",
    );

    master.send("spawn", spawnData(20, { Hitter: 1 }));
    const respawned = await master.next((m) => m.type === "spawning_complete", ready.index);
    expect(respawned.data.user_classes_count).toEqual({ Hitter: 1 });

    const beforeQuit = master.count;
    master.send("quit", null);
    const quit = await master.next((m) => m.type === "quit", beforeQuit, 2000);
    const final = master
      .all()
      .slice(beforeQuit, quit.index)
      .find((m) => m.type === "stats");
    expect(final?.data.user_classes_count).toEqual({ Hitter: 0 });
    expect(await within(worker.exited, 5000, "the worker to exit after quit")).toBe(0);
  });
});
