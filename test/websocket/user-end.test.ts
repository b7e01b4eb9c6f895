// No WebSocket outlives its user: sockets a user's tasks left open close when the user ends
// (a graceful stop or ctx.stopUser()) or is killed, as the server sees it.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { constant, defineUser } from "../../src/index.ts";
import { waitFor, within } from "../support/wait.ts";
import { realClientPool, realClientPoolWith, stopPools } from "../users/pool-harness.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { peerStats } from "./at-master.ts";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs();
}, 60_000);
afterEach(stopPools);
afterAll(async () => {
  await peer?.close();
});

const openNow = async () => (await peerStats(peer.httpUrl)).open;

describe("a user's WebSockets", () => {
  test.each([
    ["stopped gracefully (between tasks)", 5, 0],
    ["killed mid-task (stop_timeout 0)", 0, 30],
  ])("close when the user is %s", async (_how, stopTimeout, taskSeconds) => {
    let opened = 0;
    const user = defineUser({
      name: "Holder",
      waitTime: constant(30),
      tasks: [
        {
          name: "open two and keep them",
          fn: async ({ websocket, sleep }) => {
            await websocket("/echo");
            await websocket("/echo");
            opened += 2;
            await sleep(taskSeconds);
          },
        },
      ],
    });
    const { pool } = realClientPool(peer.httpUrl, user);
    await pool.setTargets({ Holder: 3 }, stopTimeout);
    await waitFor(() => (opened === 6 ? true : undefined), 10_000, "six sockets");
    expect(await openNow()).toBe(6);
    await within(pool.stopAll(stopTimeout), 3_000, "the stop");
    await waitFor(async () => ((await openNow()) === 0 ? true : undefined), 3_000, "the server to see every socket closed");
  });

  test("close when the user ends itself with ctx.stopUser()", async () => {
    const user = defineUser({
      name: "Leaver",
      tasks: [
        {
          name: "open and leave",
          fn: async ({ websocket, stopUser }) => {
            await websocket("/echo");
            stopUser();
          },
        },
      ],
    });
    const before = (await peerStats(peer.httpUrl)).connections;
    const { pool } = realClientPool(peer.httpUrl, user);
    await pool.setTargets({ Leaver: 2 }, 5);
    await waitFor(async () => ((await peerStats(peer.httpUrl)).connections === before + 2 ? true : undefined), 5_000, "two sockets");
    await waitFor(async () => ((await openNow()) === 0 ? true : undefined), 5_000, "the server to see both closed");
    expect(pool.userCount).toBe(0);
    await pool.stopAll(0);
  });

  test("a killed task that calls its socket again gets an AbortError naming it, unrecorded and unreported", async () => {
    let opened = 0;
    let later: unknown;
    const exceptions: unknown[] = [];
    const user = defineUser({
      name: "Late",
      tasks: [
        {
          name: "ask after the kill",
          fn: async ({ websocket }) => {
            const ws = await websocket("/echo");
            opened++;
            await new Promise((r) => setTimeout(r, 300)); // not the user's sleep: the kill does not end it
            try {
              await ws.request("late");
            } catch (error) {
              later = error;
              throw error; // as a task that does not catch it
            }
          },
        },
      ],
    });
    const { pool, recorder } = realClientPoolWith({ onException: (error) => void exceptions.push(error) }, peer.httpUrl, user);
    await pool.setTargets({ Late: 1 }, 0);
    await waitFor(() => (opened === 1 ? true : undefined), 5_000, "the socket");
    await within(pool.stopAll(0), 3_000, "the stop");
    expect((later as Error).name).toBe("AbortError");
    expect((later as Error).message).toBe(`the WebSocket to ${peer.url}/echo was closed: the user stopped`);
    expect(recorder.records.filter((r) => !r.ok)).toEqual([]);
    expect(exceptions).toEqual([]);
  });
});
