// examples/websocket as its README runs it: `loadworker run --tasks examples/websocket` against
// the Python websockets peer; every step of the chat user shows as a row, none failed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { BUN, ROOT } from "../support/procs.ts";
import { summaryCounts } from "../support/run-cli.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { spawnSync } from "node:child_process";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs();
}, 60_000);
afterAll(async () => {
  await peer?.close();
});

describe("examples/websocket", () => {
  test("runs with loadworker run --tasks and records each step without a failure", () => {
    const args = [
      join(ROOT, "src/main.ts"),
      "run",
      "--tasks",
      "examples/websocket",
      "-u",
      "5",
      "-r",
      "5",
      "-t",
      "3s",
      "--host",
      peer.httpUrl,
    ];
    const result = spawnSync(BUN, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } });
    expect(result.status).toBe(0);
    const counts = summaryCounts(result.stdout);
    const rows = ["WS-conn /echo", "WS join", "WS-send /echo", "WS-recv /echo", "WS binary"];
    for (const row of rows) expect(counts.get(row) ?? 0).toBeGreaterThan(0);
    // A task cut off by the end of the run leaves later steps unrecorded, never extra ones.
    expect(counts.get("WS join")!).toBeLessThanOrEqual(counts.get("WS-conn /echo")!);
    expect(counts.get("WS binary")!).toBeLessThanOrEqual(counts.get("WS join")!);
    expect(counts.get("WS-recv /echo")!).toBeLessThanOrEqual(counts.get("WS-send /echo")!);
    expect(result.stdout).toMatch(/^ +Aggregated +\d+ +0\(0\.00%\) \|/m); // no failure at all
  }, 60_000);
});
