// The compiled binary with 1,000 WebSockets at once at a real Locust master, against Python's
// websockets server and against gorilla/websocket's own echo example (Go, built from the module
// proxy): every connect, round trip, message and failure counted exactly once, and the servers'
// own counts agree.
import { afterEach, describe, expect, test } from "bun:test";
import { useE2e } from "../support/e2e.ts";
import { startGorillaEcho, startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { REQUESTS } from "../e2e/ws-tasks/ws.ts";
import { expectedTally, peerStats, runAtMaster, tally, WS_TASKS_DIR } from "./at-master.ts";

const USERS = 1_000;
const e2e = useE2e({ tasks: WS_TASKS_DIR, server: false, stop: "each" });
let peer: WsPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

describe("1,000 WebSockets from the compiled binary at a real Locust master", () => {
  test("Python's websockets: all 1,000 open at once, counted exactly, and the server agrees", async () => {
    const python = await startPythonWs();
    peer = python;
    const run = await runAtMaster(e2e, { worker: "binary", host: python.httpUrl, echoUsers: USERS, holdSeconds: 3, runTime: "25s" });
    expect(run.workerCode).toBe(0);
    expect(tally(run.master)).toEqual(expectedTally(USERS));
    const seen = await peerStats(python.httpUrl);
    expect(seen.connections).toBe(USERS + 2);
    expect(seen.messages).toBe(USERS * (REQUESTS + 1) + 2);
    expect(seen.max_open).toBeGreaterThanOrEqual(USERS);
    expect(seen.open).toBe(0);
  }, 180_000);

  test("gorilla/websocket's echo example: counted exactly; its log has every message the users sent", async () => {
    const gorilla = await startGorillaEcho();
    peer = gorilla;
    const run = await runAtMaster(e2e, {
      worker: "binary",
      host: gorilla.httpUrl,
      echoUsers: USERS,
      holdSeconds: 3,
      runTime: "25s",
      peer: "gorilla",
    });
    expect(run.workerCode).toBe(0);
    expect(tally(run.master)).toEqual(expectedTally(USERS, "gorilla"));
    expect(run.master.failuresCsv).toContain("the server refused the upgrade: HTTP 200 OK"); // its "/" page
    expect(run.master.failuresCsv).toContain("the server refused the upgrade: HTTP 403 Forbidden"); // a foreign Origin
    expect(run.master.failuresCsv).toContain("(message too big)");
    // The example logs "recv: <message>" for each message it reads: the echo users' and the big one.
    const received = gorilla.proc
      .output()
      .split("\n")
      .filter((line) => line.startsWith("recv: "));
    expect(received).toHaveLength(USERS * (REQUESTS + 1) + 1);
    expect(received.filter((line) => line === "recv: hello 0")).toHaveLength(USERS);
  }, 180_000);
});
