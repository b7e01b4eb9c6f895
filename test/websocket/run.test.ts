// WebSockets in `loadworker run` (no master), from source: the summary counts every connect,
// round trip, message and failure exactly, and a --threshold on a WebSocket row is checked like
// an HTTP one (the same stats).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { refusedPort } from "../support/procs.ts";
import { run, summaryCounts } from "../support/run-cli.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { REQUESTS } from "../e2e/ws-tasks/ws.ts";
import { WS_TASKS } from "./at-master.ts";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs();
}, 60_000);
afterAll(async () => {
  await peer?.close();
});

describe("WebSockets in loadworker run", () => {
  test("the summary counts every connect, round trip and message exactly", async () => {
    const users = 20;
    const env = { LOADWORKER_TASKS_DIR: WS_TASKS, WS_HOLD_SECONDS: "0.5" };
    const result = await run({ kind: "source" }, ["WsEcho", "-u", String(users), "-r", "100", "-t", "3s", "--host", peer.httpUrl], env);
    expect(result.code).toBe(0);
    expect(wsRows(result.stdout)).toEqual({
      "WS echo": users * REQUESTS,
      "WS-conn echo": users,
      "WS-send echo": users,
      "WS-recv echo": users,
    });
  }, 60_000);

  test("each failure once, and a --threshold over them fails the run (exit 99)", async () => {
    const env = { LOADWORKER_TASKS_DIR: WS_TASKS, WS_REFUSED_PORT: String(await refusedPort()) };
    const args = ["WsTrouble", "-u", "1", "-r", "1", "-t", "3s", "--host", peer.httpUrl, "--threshold", "fail_ratio<0.5"];
    const result = await run({ kind: "source" }, args, env);
    expect(wsRows(result.stdout)).toEqual({
      "WS-conn /refuse": 1,
      "WS-conn /nothing": 1,
      "WS-conn closing": 1,
      "WS closing": 1,
      "WS-conn big": 1,
      "WS big": 1,
    });
    expect(result.code).toBe(99); // 4 failures in 6 requests
  }, 60_000);
});

/** The WebSocket rows of the summary's first table: "TYPE name" → requests. */
function wsRows(stdout: string): Record<string, number> {
  return Object.fromEntries([...summaryCounts(stdout)].filter(([key]) => key.startsWith("WS")));
}
