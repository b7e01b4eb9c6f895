// The connection state machine: greeting, then READY both ways, then traffic — no sockets needed.
import { describe, expect, test } from "bun:test";
import { type SessionEvent, ZmtpSession } from "../../src/transport/session.ts";
import { encodeCommand, encodeError, encodeFrame, encodeGreeting, encodePing, encodeReady, FLAG_MORE } from "../../src/transport/zmtp.ts";

const text = (s: string) => new TextEncoder().encode(s);
const routerReady = encodeReady([["Socket-Type", text("ROUTER")]]);
const newSession = () => new ZmtpSession({ identity: "vm_1", maxFrameBytes: 1024 });
const ourReady = encodeReady([
  ["Socket-Type", text("DEALER")],
  ["Identity", text("vm_1")],
]);

function feedAll(session: ZmtpSession, ...chunks: Uint8Array[]): SessionEvent[] {
  return chunks.flatMap((c) => session.feed(c));
}

/** The message of the error event that must end `events` (a violation never throws). */
function failure(events: SessionEvent[]): string {
  const last = events.at(-1);
  if (last?.type !== "error") throw new Error(`expected an error event last, got ${JSON.stringify(events.map((e) => e.type))}`);
  return last.error.message;
}

describe("a ZMTP session", () => {
  test("opens with our 64-byte greeting", () => {
    expect(newSession().opening()).toEqual(encodeGreeting());
  });

  test("sends READY with Socket-Type DEALER and our identity once the peer's greeting is complete", () => {
    const session = newSession();
    const greeting = encodeGreeting();
    expect(session.feed(greeting.subarray(0, 40))).toEqual([]);
    expect(session.feed(greeting.subarray(40))).toEqual([{ type: "write", bytes: ourReady }]);
    expect(session.handshakeDone).toBe(false);
  });

  test("is ready after the peer's READY, then delivers messages", () => {
    const session = newSession();
    const events = feedAll(session, encodeGreeting(), routerReady, encodeFrame(text("a"), FLAG_MORE), encodeFrame(text("b")));
    expect(events).toEqual([
      { type: "write", bytes: ourReady },
      { type: "ready", peer: { version: "3.1", socketType: "ROUTER" } },
      { type: "message", frames: [text("a"), text("b")] },
    ]);
    expect(session.handshakeDone).toBe(true);
  });

  test("handles greeting, READY and a message arriving in one chunk", () => {
    const all = new Uint8Array([...encodeGreeting(), ...routerReady, ...encodeFrame(text("hi"))]);
    expect(
      newSession()
        .feed(all)
        .map((e) => e.type),
    ).toEqual(["write", "ready", "message"]);
  });

  test("answers PING with PONG and the same context", () => {
    const session = newSession();
    feedAll(session, encodeGreeting(), routerReady);
    expect(session.feed(encodePing(50, text("abc")))).toEqual([{ type: "write", bytes: encodeCommand("PONG", text("abc")) }]);
  });

  test("ignores commands a DEALER has no use for", () => {
    const session = newSession();
    feedAll(session, encodeGreeting(), routerReady);
    expect(session.feed(encodeCommand("SUBSCRIBE", text("x")))).toEqual([]);
  });

  test("rejects junk instead of a greeting", () => {
    expect(failure(newSession().feed(text("HTTP/1.1 400 Bad Request\r\n")))).toMatch(/not a ZMTP greeting/);
  });

  test("rejects a message before the handshake is complete", () => {
    expect(failure(feedAll(newSession(), encodeGreeting(), encodeFrame(text("early"))))).toMatch(/before finishing the handshake/);
  });

  test("rejects a command other than READY where READY belongs", () => {
    expect(failure(feedAll(newSession(), encodeGreeting(), encodePing(1, text(""))))).toMatch(/"PING" where the READY command belongs/);
  });

  test("reports the reason of a peer's ERROR command", () => {
    expect(failure(feedAll(newSession(), encodeGreeting(), encodeError("access denied")))).toMatch(
      /rejected the connection: access denied/,
    );
  });

  test("rejects a peer whose socket type cannot talk to a DEALER", () => {
    const pubReady = encodeReady([["Socket-Type", text("PUB")]]);
    expect(failure(feedAll(newSession(), encodeGreeting(), pubReady))).toMatch(/PUB socket/);
  });

  test("applies the frame size cap before the handshake too", () => {
    const huge = Uint8Array.of(0x06, 0, 0, 0, 0, 0x80, 0, 0, 0); // a 2 GiB command
    expect(failure(feedAll(newSession(), encodeGreeting(), huge))).toMatch(/over the 1024-byte limit/);
  });
  // Found by fuzzing (test/transport/decoder.fuzz.test.ts): the error used to be thrown, losing
  // the messages decoded before it in the same TCP chunk.
  test("delivers a message that arrived in the same chunk as the junk after it, then the error", () => {
    const session = newSession();
    feedAll(session, encodeGreeting(), routerReady);
    const events = session.feed(new Uint8Array([...encodeFrame(text("stop")), 0xff, 0]));
    expect(events.map((e) => e.type)).toEqual(["message", "error"]);
    expect(events[0]).toEqual({ type: "message", frames: [text("stop")] });
    expect(failure(events)).toMatch(/reserved flag bits/);
  });

  test("after a violation decodes nothing more: every later chunk reports the same error", () => {
    const session = newSession();
    const first = failure(feedAll(session, text("junk")));
    expect(session.feed(encodeGreeting())).toEqual([{ type: "error", error: expect.objectContaining({ message: first }) }]);
  });
});
