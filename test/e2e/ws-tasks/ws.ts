// WebSocket tasks for the end-to-end tests (test/websocket/master.test.ts): every user does a fixed
// amount of work and then stops itself, so what the master counts can be compared exactly with
// what the server saw. The host is the Python websockets peer (test/peers/ws_server.py).
import { defineUser } from "../../../src/index.ts";

/** Round trips per user; each user also sends one message and receives its echo. */
export const REQUESTS = 3;

export const wsEcho = defineUser({
  name: "WsEcho",
  weight: 1,
  tasks: [
    {
      name: "echo",
      fn: async ({ websocket, sleep, stopUser }) => {
        const ws = await websocket("/echo", { name: "echo" });
        // Hold every socket open a while, so that all users' sockets are open at once.
        await sleep(Number(process.env.WS_HOLD_SECONDS ?? "0"));
        for (let i = 0; i < REQUESTS; i++) await ws.request(`hello ${i}`, { match: (m) => m === `hello ${i}` });
        ws.send(new Uint8Array([1, 2, 3]));
        await ws.receive();
        await ws.close();
        stopUser();
      },
    },
  ],
});

/**
 * One user that meets each failure once: a refused upgrade, nothing listening, a close by the
 * server, a message over maxMessageBytes. WS_PEER=gorilla: gorilla's echo example cannot close by
 * itself, so it meets a refused Origin (its default CheckOrigin) instead, and echoes the big message.
 */
export const wsTrouble = defineUser({
  name: "WsTrouble",
  fixedCount: 1,
  tasks: [
    {
      name: "trouble",
      fn: async ({ websocket, stopUser }) => {
        const gorilla = process.env.WS_PEER === "gorilla";
        const attempts: Array<() => Promise<unknown>> = [
          () => websocket("/refuse"),
          () => websocket(`ws://127.0.0.1:${process.env.WS_REFUSED_PORT}/nothing`),
          gorilla
            ? () => websocket("/echo", { name: "origin", headers: { Origin: "http://elsewhere.example" } })
            : async () => (await websocket("/echo", { name: "closing" })).request("close:4000:bye"),
          gorilla
            ? async () => (await websocket("/echo", { name: "big", maxMessageBytes: 100_000 })).request(new Uint8Array(200_000))
            : async () => (await websocket("/big?bytes=200000", { name: "big", maxMessageBytes: 100_000 })).request("x"),
        ];
        // Each failure is recorded and then thrown; the task goes on to the next on purpose.
        for (const attempt of attempts) await attempt().catch(() => undefined);
        stopUser();
      },
    },
  ],
});
