// Things that are not a healthy master on the port: the DEALER says what is wrong once and recovers.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { encodeError, encodeFrame, encodeGreeting, encodeReady } from "../../src/transport/zmtp.ts";
import { refusedPort } from "../support/procs.ts";
import { routerOpening, scriptedRouter } from "./scripted-router.ts";
import { openDealer, startPeer } from "./support.ts";
import type { LogLine } from "../support/fakes.ts";

setDefaultTimeout(30_000);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

function dealerOn(port: number, options: Parameters<typeof openDealer>[1] = {}) {
  const dealer = openDealer(port, options);
  cleanup.push(() => dealer.socket.close());
  dealer.socket.start();
  return dealer;
}

const warningsAbout = (lines: LogLine[], text: string) => lines.filter((l) => l.level === "warn" && l.message.includes(text));

describe("a DEALER pointed at something that is not a healthy master", () => {
  test("logs junk bytes once, keeps reconnecting, and works when a real ROUTER takes over the port", async () => {
    const junk = await scriptedRouter((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    const dealer = dealerOn(junk.port);
    const notZmtp = `master at 127.0.0.1:${junk.port} sent bytes that are not a ZMTP greeting — is that port a Locust master?`;
    for (let i = 0; i < 3; i++) expect(await dealer.disconnects.next("a rejected connection")).toBe(notZmtp);
    expect(warningsAbout(dealer.log.lines, notZmtp)).toHaveLength(1);
    expect(dealer.log.lines.filter((l) => l.level === "debug" && l.message.startsWith(notZmtp)).length).toBeGreaterThan(0);

    await junk.close();
    const peer = await startPeer("libzmq", junk.port);
    cleanup.push(() => peer.kill());
    await dealer.connects.next("the handshake with the real ROUTER");
    expect(dealer.log.lines).toContainEqual({ level: "info", message: `connected to master at 127.0.0.1:${junk.port} (ZMTP 3.1, ROUTER)` });
    dealer.socket.send(new TextEncoder().encode("still works"));
    expect(await peer.events.next("the message", (e) => e.event === "message")).toMatchObject({ identity: dealer.identity });
  });

  test("closes the connection when the master announces an oversized frame, without crashing", async () => {
    const master = await scriptedRouter((socket) => {
      routerOpening(socket);
      socket.write(Uint8Array.of(0x02, 0, 0, 0, 0, 0x80, 0, 0, 0)); // a 2 GiB frame header, and no body
    });
    const dealer = dealerOn(master.port, { maxFrameBytes: 1024 * 1024 });
    cleanup.push(() => master.close());
    const connection = await master.connections.next("the connection");
    expect(await dealer.disconnects.next("the disconnect")).toBe(
      `protocol error from master at 127.0.0.1:${master.port} (frame-too-large): peer announced a 2147483648-byte frame, over the 1048576-byte limit (maxFrameBytes)`,
    );
    await connection.closed;
    expect(dealer.socket.connected).toBe(false);
  });

  test("hands over a message that arrived in the same write as junk, then closes the connection", async () => {
    const master = await scriptedRouter((socket) => {
      routerOpening(socket);
      socket.write(new Uint8Array([...encodeFrame(new TextEncoder().encode("stop")), 0xff, 0])); // one segment: a message, then a bad flags byte
    });
    const dealer = dealerOn(master.port);
    cleanup.push(() => master.close());
    expect(await dealer.messages.next("the message before the junk")).toEqual([new TextEncoder().encode("stop")]);
    expect(await dealer.disconnects.next("the disconnect")).toContain("(bad-frame): peer sent a frame with reserved flag bits set (0xff)");
  });

  test("a master not up yet is info at first, one warning once it stays refused, then debug while it repeats", async () => {
    const port = await refusedPort();
    const dealer = dealerOn(port);
    const refused = `connection refused by master at 127.0.0.1:${port} — is the Locust master running (locust --master)?`;
    expect(await dealer.disconnects.next("the first refused connection")).toBe(refused);
    expect(dealer.log.lines.filter((l) => l.message.includes(refused)).map((l) => l.level)).toEqual(["info"]);
    for (let i = 0; i < 11; i++) expect(await dealer.disconnects.next("a refused connection")).toBe(refused);
    expect(warningsAbout(dealer.log.lines, refused)).toHaveLength(1);
    expect(dealer.log.lines.filter((l) => l.message.includes(refused) && l.level === "info")).toHaveLength(1);
  });

  test("gives up on a silent server after the handshake timeout and tries again", async () => {
    const silent = await scriptedRouter(() => {});
    cleanup.push(() => silent.close());
    const dealer = dealerOn(silent.port, { handshakeTimeoutMs: 100 });
    expect(await dealer.disconnects.next("the handshake timeout")).toBe(
      `master at 127.0.0.1:${silent.port} did not complete the ZMTP handshake within 100 ms — is that port a Locust master?`,
    );
    await silent.connections.next("the first attempt");
    await silent.connections.next("a second attempt");
  });

  test("reports a server that hangs up during the handshake", async () => {
    const rude = await scriptedRouter((socket) => socket.end(encodeGreeting()));
    cleanup.push(() => rude.close());
    const dealer = dealerOn(rude.port);
    expect(await dealer.disconnects.next("the hang-up")).toBe(
      `master at 127.0.0.1:${rude.port} closed the connection during the ZMTP handshake — is that port a Locust master?`,
    );
  });

  test("reports the reason of a master's ERROR command", async () => {
    const strict = await scriptedRouter((socket) => socket.write(new Uint8Array([...encodeGreeting(), ...encodeError("go away")])));
    cleanup.push(() => strict.close());
    const dealer = dealerOn(strict.port);
    expect(await dealer.disconnects.next("the rejection")).toContain("(peer-error): peer rejected the connection: go away");
  });

  test("refuses a peer whose socket type is not ROUTER or DEALER", async () => {
    const pub = await scriptedRouter((socket) => {
      socket.write(encodeGreeting());
      socket.write(encodeReady([["Socket-Type", new TextEncoder().encode("PUB")]]));
    });
    cleanup.push(() => pub.close());
    const dealer = dealerOn(pub.port);
    expect(await dealer.disconnects.next("the refusal")).toContain(
      "peer is a PUB socket, but a DEALER can only talk to a ROUTER or a DEALER",
    );
    expect(dealer.connects.pending).toHaveLength(0);
  });
});
