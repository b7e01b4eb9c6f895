// No WebSocket outlives its user: sockets a user's tasks left open close when the user ends
// (a graceful stop or ctx.stopUser()) or is killed, as the server sees it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { systemClock } from "../../src/clock.ts";
import { constant, defineUser } from "../../src/index.ts";
import { userClients } from "../../src/users/clients.ts";
import { UserPool } from "../../src/users/pool.ts";
import { recordingLogger, recordingRecorder } from "../support/fakes.ts";
import { waitFor, within } from "../support/wait.ts";
import { startPythonWs, type WsPeer } from "../support/ws-peers.ts";
import { peerStats } from "./at-master.ts";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs();
}, 60_000);
afterAll(async () => {
  await peer?.close();
});

function poolOf(user: ReturnType<typeof defineUser<{ opened: number }>>) {
  const recorder = recordingRecorder();
  const pool = new UserPool({
    plan: buildPlan(collectDefinitions([user])),
    clock: systemClock,
    recorder,
    log: recordingLogger(),
    onException: (error) => {
      throw error;
    },
    makeClient: userClients(recorder, systemClock),
  });
  pool.env = { host: peer.httpUrl, workerIndex: 0, parsedOptions: {} };
  return pool;
}

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
    const pool = poolOf(user as never);
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
    const pool = poolOf(user as never);
    await pool.setTargets({ Leaver: 2 }, 5);
    await waitFor(async () => ((await peerStats(peer.httpUrl)).connections === before + 2 ? true : undefined), 5_000, "two sockets");
    await waitFor(async () => ((await openNow()) === 0 ? true : undefined), 5_000, "the server to see both closed");
    expect(pool.userCount).toBe(0);
    await pool.stopAll(0);
  });
});
