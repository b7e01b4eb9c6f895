// WebSockets at a real Locust master, against Python's websockets server: every connect, round
// trip, message and failure the tasks made is counted exactly once, and agrees with what the
// server saw. The worker runs from source under Bun and under Deno (the compiled binary with
// 1,000 sockets is master.full.test.ts).
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { REQUESTS } from "../e2e/ws-tasks/ws.ts";
import { useE2e } from "../support/e2e.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { expectedTally, peerStats, runAtMaster, SOURCE_UNDER_BUN, SOURCE_UNDER_DENO, tally, type WorkerCommand } from "./at-master.ts";

const e2e = useE2e({ tasks: false, server: false, stop: "each" });
let peer: WsPeer;
beforeEach(async () => {
  peer = await startPythonWs();
}, 60_000);
afterEach(async () => {
  await peer?.close();
});

async function checkRun(worker: WorkerCommand, users: number): Promise<void> {
  const run = await runAtMaster(e2e, { worker, host: peer.httpUrl, echoUsers: users, holdSeconds: 1, runTime: "8s" });
  expect(run.workerCode).toBe(0);
  expect(tally(run.master)).toEqual(expectedTally(users));
  expect(run.master.exceptionsCsv.trim().split("\n")).toHaveLength(1); // the header: recorded failures are not exceptions
  expect(run.row("WS-send echo")?.avgContentSize).toBe(3);
  expect(run.row("WS echo")?.avgContentSize).toBe("hello 0".length);
  const failures = run.master.failuresCsv;
  expect(failures).toContain("the server refused the upgrade: HTTP 403 Forbidden");
  expect(failures).toContain("connection refused by 127.0.0.1:");
  expect(failures).toContain('code 4000 (application) ""bye""');
  expect(failures).toContain("closed ws://127.0.0.1:");
  expect(failures).toContain("(message too big)");
  // What the server saw: the echo users' sockets and the two trouble sockets that got in; every message.
  const seen = await peerStats(peer.httpUrl);
  expect(seen.connections).toBe(users + 2);
  expect(seen.messages).toBe(users * (REQUESTS + 1) + 2);
  expect(seen.max_open).toBeGreaterThanOrEqual(users);
  expect(seen.open).toBe(0);
}

describe("WebSockets at a real Locust master (Python websockets peer)", () => {
  test("from source under Bun: 100 users, counted exactly", async () => {
    await checkRun(SOURCE_UNDER_BUN, 100);
  }, 120_000);

  test("from source under Deno: 20 users, counted exactly", async () => {
    await checkRun(SOURCE_UNDER_DENO, 20);
  }, 120_000);
});
