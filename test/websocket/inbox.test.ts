// The inbox of messages nobody waited for is bounded: Python's websockets server floods a socket
// that the task does not read (/push?n=N sends N messages at once); past maxInboxMessages or
// maxInboxBytes the socket closes with 1008, one recorded WS-recv failure (EINBOXFULL).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WebSocketError } from "../../src/websocket/index.ts";
import { startPythonWs, type WsPeer, wsUser } from "../support/ws-peers.ts";
import { waitFor } from "../support/wait.ts";

let peer: WsPeer;
beforeAll(async () => {
  peer = await startPythonWs();
}, 60_000);
afterAll(async () => {
  await peer?.close();
});

function user() {
  const { recorder, sockets } = wsUser(peer.httpUrl);
  const count = (ok: boolean, method: string) => recorder.records.filter((r) => r.ok === ok && r.method === method).length;
  return { recorder, sockets, count };
}

describe("the inbox of unread messages", () => {
  test("a flood past maxInboxMessages closes the socket with 1008: one recorded failure, the kept messages still counted", async () => {
    const { sockets, recorder, count } = user();
    const ws = await sockets.connect("/push?n=500", { name: "flood", maxInboxMessages: 20 });
    await waitFor(() => (sockets.size === 0 ? true : undefined), 10_000, "the socket to close");
    expect(count(true, "WS-recv")).toBe(20); // the ones kept
    const failures = recorder.records.filter((r) => !r.ok);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ method: "WS-recv", name: "flood" });
    expect(String(failures[0]?.detail)).toMatch(
      /^20 messages \(130 bytes\) waited unread when one more of 7 bytes came \(maxInboxMessages 20, maxInboxBytes 16777216\); closed ws:\/\/127\.0\.0\.1:\d+\/push with 1008 \(policy violation\)$/,
    );
    // The kept messages are still the task's to read; then its next call meets the recorded failure, not a fresh one.
    for (let i = 0; i < 20; i++) expect(await ws.receive()).toBe(`push ${i}`);
    const error = await ws.receive().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketError);
    expect(error).toMatchObject({ code: "EINBOXFULL", recorded: true });
    expect(recorder.records.filter((r) => !r.ok)).toHaveLength(1);
  });

  test("maxInboxBytes bounds the same way, by the messages' bytes", async () => {
    const { sockets, recorder, count } = user();
    await sockets.connect("/push?n=500", { name: "bytes", maxInboxBytes: 60 }); // "push 0".."push 9": 6 bytes each
    await waitFor(() => (sockets.size === 0 ? true : undefined), 10_000, "the socket to close");
    expect(count(true, "WS-recv")).toBe(10);
    expect(String(recorder.records.find((r) => !r.ok)?.detail)).toMatch(
      /^10 messages \(60 bytes\) waited unread when one more of 7 bytes came/,
    );
  });

  test("within the defaults (10,000 messages, 16 MiB) a flood is kept whole and read in order", async () => {
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/push?n=2000", { name: "kept" });
    await waitFor(() => (recorder.records.length >= 2001 ? true : undefined), 10_000, "2,000 messages to arrive");
    for (let i = 0; i < 2000; i++) expect(await ws.receive()).toBe(`push ${i}`);
    expect(sockets.size).toBe(1);
    await ws.close();
    expect(recorder.records.every((r) => r.ok)).toBe(true);
  });

  test("messages a receive() waits for are never held: a reader keeps up with a flood past the bound", async () => {
    const { sockets, recorder } = user();
    const ws = await sockets.connect("/push?n=300", { name: "read", maxInboxMessages: 1_000 });
    let read = 0;
    for await (const message of ws) {
      expect(message).toBe(`push ${read}`);
      if (++read === 300) break;
    }
    await ws.close();
    expect(recorder.records.every((r) => r.ok)).toBe(true);
  });
});
