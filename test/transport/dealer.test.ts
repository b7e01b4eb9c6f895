// DealerSocket behaviour the runtime relies on, against a scripted ROUTER built from our codec.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn } from "node:child_process";
import { backoffDelay } from "../../src/transport/backoff.ts";
import { DealerSocket } from "../../src/transport/index.ts";
import { encodeCommand, encodeFrame, encodePing } from "../../src/transport/zmtp.ts";
import { refusedPort } from "../support/procs.ts";
import { routerOpening, scriptedRouter } from "./scripted-router.ts";
import { openDealer, startPeer } from "./support.ts";
import { Inbox, within } from "../support/wait.ts";
import { recordingLogger } from "../support/fakes.ts";

setDefaultTimeout(30_000);

const cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

const text = (s: string) => new TextEncoder().encode(s);
const decoded = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function connectedToFake(options: Parameters<typeof openDealer>[1] = {}) {
  const master = await scriptedRouter(routerOpening);
  cleanup.push(() => master.close());
  const dealer = openDealer(master.port, options);
  cleanup.push(() => dealer.socket.close());
  dealer.socket.start();
  await dealer.connects.next("the handshake");
  const connection = await master.connections.next("the connection");
  const ready = await connection.received.next("our READY");
  expect(ready.kind === "command" && decoded(ready.body)).toContain("READY");
  return { master, dealer, connection };
}

describe("a DealerSocket", () => {
  test("keeps delivering messages after onMessage throws, and logs the exception", async () => {
    const log = recordingLogger();
    const master = await scriptedRouter((socket) => {
      routerOpening(socket);
      socket.write(encodeFrame(text("first")));
      socket.write(encodeFrame(text("second")));
    });
    cleanup.push(() => master.close());
    const seen = new Inbox<string>();
    let calls = 0;
    const socket = new DealerSocket(
      { host: "127.0.0.1", port: master.port, identity: "w1", log },
      {
        onMessage([frame]) {
          seen.push(decoded(frame ?? new Uint8Array()));
          if (++calls === 1) throw new Error("handler bug");
        },
      },
    );
    cleanup.push(() => socket.close());
    socket.start();
    expect(await seen.next("the first message")).toBe("first");
    expect(await log.inbox.next("the logged exception", (l) => l.level === "error")).toMatchObject({
      message: "onMessage handler threw; the socket keeps running",
    });
    expect(await seen.next("the second message")).toBe("second");
    expect(socket.connected).toBe(true);
  });

  test("answers the master's PING with a PONG carrying the same context", async () => {
    const { connection } = await connectedToFake();
    connection.socket.write(encodePing(30, text("hb-1")));
    const pong = await connection.received.next("the PONG");
    expect(pong).toEqual({ kind: "command", body: encodeCommand("PONG", text("hb-1")).subarray(2) });
  });

  test("sends each message as one frame without a delimiter", async () => {
    const { dealer, connection } = await connectedToFake();
    dealer.socket.send(text("payload"));
    expect(await connection.received.next("the message")).toEqual({ kind: "message", frames: [text("payload")] });
  });

  test("drops the oldest queued messages beyond maxQueued, with one warning", async () => {
    const master = await scriptedRouter(routerOpening);
    cleanup.push(() => master.close());
    const dealer = openDealer(master.port, { maxQueued: 3 });
    cleanup.push(() => dealer.socket.close());
    for (let i = 1; i <= 6; i++) dealer.socket.send(text(`m${i}`));
    expect(dealer.log.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    dealer.socket.start();
    const connection = await master.connections.next("the connection");
    await connection.received.next("our READY");
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      const item = await connection.received.next("a flushed message");
      if (item.kind === "message") got.push(decoded(item.frames[0] ?? new Uint8Array()));
    }
    expect(got).toEqual(["m4", "m5", "m6"]);
  });

  test("keeps its identity in the READY of every reconnect", async () => {
    const { master, dealer } = await connectedToFake({ identity: "host_abc" });
    dealer.socket.reconnect("test");
    expect(await dealer.disconnects.next("the disconnect")).toBe("test");
    const again = await master.connections.next("the second connection");
    const ready = await again.received.next("the second READY");
    expect(ready.kind === "command" && decoded(ready.body)).toContain("Identity\0\0\0\x08host_abc");
  });

  test("close() resolves promptly when the master is unreachable, or when never started", async () => {
    const dealer = openDealer(await refusedPort());
    dealer.socket.start();
    dealer.socket.send(text("lost"));
    await dealer.disconnects.next("a refused connection");
    await within(dealer.socket.close(), 1500, "close() against a refused port");
    await within(openDealer(1).socket.close(), 1500, "close() of a socket never started");
    dealer.socket.send(text("after close"));
    expect(dealer.log.lines.at(-1)?.message).toContain("dropped a message sent after close()");
  });

  test("rejects a port outside 1-65535", () => {
    expect(() => new DealerSocket({ host: "h", port: 70_000, identity: "w" }, { onMessage() {} })).toThrow(/1 to 65535/);
  });

  test("rejects an identity libzmq could not carry", () => {
    const make = (identity: string) => () => new DealerSocket({ host: "h", port: 1, identity }, { onMessage() {} });
    expect(make("")).toThrow(RangeError);
    expect(make("\0abc")).toThrow(/NUL byte/);
    expect(make("x".repeat(256))).toThrow(/1-255 bytes/);
  });

  test("leaves no timers or sockets behind: a process that closes it exits on its own (Bun and Deno)", async () => {
    const peer = await startPeer("libzmq");
    cleanup.push(() => peer.kill());
    const script = new URL("../peers/dealer-roundtrip.ts", import.meta.url).pathname;
    const bin = new URL("../../node_modules/.bin/", import.meta.url).pathname;
    for (const argv of [
      [`${bin}bun`, script],
      [`${bin}deno`, "run", "--allow-net", "--allow-read", "--allow-env", script],
    ]) {
      const [command = "", ...args] = argv;
      const child = spawn(command, [...args, String(peer.port)], { stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += String(chunk)));
      const code = await within(new Promise((resolve) => child.once("exit", resolve)), 15_000, `${command} to exit after close()`);
      expect({ command, code, stdout: stdout.trim() }).toEqual({ command, code: 0, stdout: "echo ok, closed" });
    }
  });
});

describe("the reconnect backoff", () => {
  test("doubles from the minimum up to the maximum, with jitter in the upper half", () => {
    const low = () => 0;
    const high = () => 1;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 5000, high))).toEqual([100, 200, 400, 800, 5000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 5000, low))).toEqual([100, 100, 200, 400, 2500]);
    expect(backoffDelay(1000, 100, 5000, high)).toBe(5000);
  });
});
