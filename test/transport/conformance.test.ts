// The TS DEALER against real ROUTERs: libzmq (zeromq npm, under Node) and pyzmq (Locust's stack).
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { type Peer, type PeerKind, openDealer, pattern, sha256, startPeer } from "./support.ts";

const SIZES = [1, 300, 70 * 1024, 1024 * 1024];
// Every wait below has its own shorter timeout that names what never happened.
setDefaultTimeout(30_000);

for (const kind of ["libzmq", "pyzmq"] as const satisfies PeerKind[]) {
  describe(`a DEALER talking to a ${kind} ROUTER`, () => {
    const cleanup: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const undo of cleanup.splice(0).reverse()) await undo();
    });

    async function peerOn(port = 0): Promise<Peer> {
      const peer = await startPeer(kind, port);
      cleanup.push(() => peer.kill());
      return peer;
    }

    function dealerFor(peer: Peer) {
      const dealer = openDealer(peer.port);
      cleanup.push(() => dealer.socket.close());
      return dealer;
    }

    async function connectedPair() {
      const peer = await peerOn();
      const dealer = dealerFor(peer);
      dealer.socket.start();
      await dealer.connects.next("the handshake");
      expect(dealer.socket.connected).toBe(true);
      return { peer, dealer };
    }

    const received = (peer: Peer) => peer.events.next(`the ${kind} ROUTER to receive a message`, (e) => e.event === "message");

    test("the ROUTER sees our identity as routing id and gets each message as one frame, byte for byte", async () => {
      const { peer, dealer } = await connectedPair();
      for (const [seed, size] of SIZES.entries()) {
        const payload = pattern(size, seed);
        dealer.socket.send(payload);
        expect(await received(peer)).toEqual({
          event: "message",
          identity: dealer.identity,
          parts: [{ size, sha256: sha256(payload) }],
        });
      }
    });

    test("messages echoed by the ROUTER come back as one frame, byte for byte", async () => {
      const { dealer } = await connectedPair();
      for (const [seed, size] of SIZES.entries()) {
        const payload = pattern(size, seed + 10);
        dealer.socket.send(payload);
        const frames = await dealer.messages.next(`the echo of ${size} bytes`);
        expect(frames.length).toBe(1);
        expect(frames[0]?.length).toBe(size);
        expect(sha256(frames[0] ?? new Uint8Array())).toBe(sha256(payload));
      }
    });

    test("unsolicited messages from the ROUTER arrive byte for byte", async () => {
      const { peer, dealer } = await connectedPair();
      dealer.socket.send(new TextEncoder().encode("hello")); // the ROUTER learns our identity first
      await received(peer);
      await dealer.messages.next("the echo of hello");
      for (const [seed, size] of SIZES.entries()) {
        peer.send(dealer.identity, [{ size, seed: seed + 20 }]);
        const frames = await dealer.messages.next(`an unsolicited ${size}-byte message`);
        expect(frames.map((f) => sha256(f))).toEqual([sha256(pattern(size, seed + 20))]);
      }
    });

    test("a multipart message from the ROUTER arrives as one array of frames", async () => {
      const { peer, dealer } = await connectedPair();
      dealer.socket.send(new TextEncoder().encode("hello"));
      await dealer.messages.next("the echo of hello");
      const parts = [
        { size: 0, seed: 0 },
        { size: 300, seed: 1 },
        { size: 70 * 1024, seed: 2 },
      ];
      peer.send(dealer.identity, parts);
      const frames = await dealer.messages.next("the multipart message");
      expect(frames.map((f) => sha256(f))).toEqual(parts.map((p) => sha256(pattern(p.size, p.seed))));
    });

    test("messages sent before the handshake are queued and flushed in order", async () => {
      const peer = await peerOn();
      const dealer = dealerFor(peer);
      for (const size of SIZES) dealer.socket.send(pattern(size, 7));
      dealer.socket.start();
      for (const size of SIZES) {
        expect(await received(peer)).toMatchObject({ identity: dealer.identity, parts: [{ size }] });
      }
    });

    test("after the ROUTER process is killed and restarted on the same port, the same identity comes back", async () => {
      const { peer, dealer } = await connectedPair();
      await peer.kill();
      await dealer.disconnects.next("the disconnect");
      expect(dealer.socket.connected).toBe(false);
      dealer.socket.send(pattern(300, 3)); // queued while the master is away
      const restarted = await peerOn(peer.port);
      await dealer.connects.next("the reconnect");
      expect(await received(restarted)).toEqual({
        event: "message",
        identity: dealer.identity,
        parts: [{ size: 300, sha256: sha256(pattern(300, 3)) }],
      });
      expect(dealer.log.lines).toContainEqual(expect.objectContaining({ level: "info", message: expect.stringContaining("reconnected") }));
    });

    test("reconnect() drops the connection and the ROUTER sees the same identity again", async () => {
      const { peer, dealer } = await connectedPair();
      dealer.socket.send(pattern(1, 1));
      await received(peer);
      dealer.socket.reconnect("the master asked us to");
      await dealer.disconnects.next("the disconnect");
      await dealer.connects.next("the reconnect");
      dealer.socket.send(pattern(70 * 1024, 5));
      expect(await received(peer)).toMatchObject({ identity: dealer.identity, parts: [{ size: 70 * 1024 }] });
    });

    test("close() delivers everything sent just before it", async () => {
      const { peer, dealer } = await connectedPair();
      for (let i = 1; i <= 20; i++) dealer.socket.send(pattern(i * 1000, i));
      await dealer.socket.close();
      for (let i = 1; i <= 20; i++) {
        expect(await received(peer)).toMatchObject({ parts: [{ size: i * 1000, sha256: sha256(pattern(i * 1000, i)) }] });
      }
    });
  });
}
