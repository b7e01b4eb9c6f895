// How the TCP connection under a WebSocket ends after a close handshake, seen from Python's
// websockets server (its /stats count each connection's end as a reset or a clean FIN): RFC 6455
// §7.1.1 has the server close TCP first, and a client's reset shows in its logs as an error.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { WebSocketError } from "../../src/websocket/index.ts";
import { waitFor } from "../support/wait.ts";
import { startPythonWs, type WsPeer, wsUser } from "../support/ws-peers.ts";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs({ compression: false });
}, 60_000);
afterAll(async () => {
  await peer?.close();
});

const user = () => wsUser(peer.httpUrl);

async function ends(): Promise<{ resets: number; clean_ends: number }> {
  const stats = (await (await fetch(`${peer.httpUrl}/stats`)).json()) as { resets: number; clean_ends: number };
  return { resets: stats.resets, clean_ends: stats.clean_ends };
}

/** The ends the server counted after `before`, once `count` connections more have ended. */
async function endsSince(before: { resets: number; clean_ends: number }, count: number) {
  const after = await waitFor(
    async () => {
      const now = await ends();
      return now.resets + now.clean_ends - before.resets - before.clean_ends >= count ? now : undefined;
    },
    5_000,
    `${count} WebSocket connections to end at the server`,
  );
  return { resets: after.resets - before.resets, clean_ends: after.clean_ends - before.clean_ends };
}

describe("after a close handshake the client ends TCP with a FIN, never a reset", () => {
  test("close() with 1000 and with an application code (4000): the server sees clean ends", async () => {
    const before = await ends();
    const { sockets } = user();
    for (const code of [1000, 4000, 1000]) {
      const ws = await sockets.connect("/echo");
      expect(await ws.request(`closing with ${code}`)).toBe(`closing with ${code}`);
      await ws.close(code, "done");
    }
    expect(await endsSince(before, 3)).toEqual({ resets: 0, clean_ends: 3 });
  });

  test("a close the server starts (the echo peer's close:CODE:REASON) ends as cleanly, and is still recorded", async () => {
    const before = await ends();
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/echo");
    ws.send("close:4001:bye");
    const error = (await ws.receive().catch((e: unknown) => e)) as WebSocketError;
    expect([error.code, error.message]).toEqual([
      "ECLOSED",
      `the server closed the WebSocket ${peer.url}/echo: code 4001 (application) "bye"`,
    ]);
    expect(recorder.records.filter((r) => !r.ok)).toHaveLength(1);
    expect(await endsSince(before, 1)).toEqual({ resets: 0, clean_ends: 1 });
  });
});
