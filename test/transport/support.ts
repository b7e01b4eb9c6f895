// Transport test support: real ROUTER peer processes, payloads both sides can check, a test DEALER.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { DealerSocket, type DealerOptions } from "../../src/transport/index.ts";
import { recordingLogger } from "../support/fakes.ts";
import { Inbox, within } from "../support/wait.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Deterministic bytes both sides can regenerate: byte i = (i * 31 + seed) mod 256. */
export function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export type PeerEvent =
  | { event: "listening"; port: number }
  | { event: "message"; identity: string; parts: Array<{ size: number; sha256: string }> }
  | { event: "error"; message: string };

export type PeerKind = "libzmq" | "pyzmq";

export interface Peer {
  port: number;
  events: Inbox<PeerEvent>;
  send(identity: string, parts: Array<{ size: number; seed: number }>): void;
  kill(): Promise<void>;
}

/** Starts a real ROUTER peer process bound to 127.0.0.1 (`port` 0 picks a free one). */
export async function startPeer(kind: PeerKind, port = 0): Promise<Peer> {
  const python = `${root}.venv/bin/python`;
  if (kind === "pyzmq" && !existsSync(python)) {
    throw new Error(`${python} is missing: run scripts/lib/venv.sh to create the Python venv with pyzmq and Locust`);
  }
  const child: ChildProcess =
    kind === "libzmq"
      ? spawn("node", [`${root}test/peers/libzmq-router.mjs`, String(port)], { stdio: ["pipe", "pipe", "inherit"] })
      : spawn(python, [`${root}test/peers/pyzmq_router.py`, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
  const events = new Inbox<PeerEvent>();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  createInterface({ input: child.stdout! }).on("line", (line) => events.push(JSON.parse(line) as PeerEvent));
  const listening = await events.next(`${kind} peer to listen`, (e) => e.event === "listening", 15_000);
  return {
    port: listening.event === "listening" ? listening.port : 0,
    events,
    send: (identity, parts) => child.stdin!.write(`${JSON.stringify({ cmd: "send", identity, parts })}\n`),
    kill: async () => {
      child.kill("SIGKILL");
      await within(exited, 5000, `${kind} peer to exit`);
    },
  };
}

/** A DealerSocket whose callbacks land in inboxes, with test-friendly fast reconnects. */
export function openDealer(port: number, options: Partial<DealerOptions> = {}) {
  const messages = new Inbox<Uint8Array[]>();
  const connects = new Inbox<true>();
  const disconnects = new Inbox<string>();
  const log = recordingLogger();
  const identity = options.identity ?? `test_${crypto.randomUUID().replaceAll("-", "")}`;
  const socket = new DealerSocket(
    { host: "127.0.0.1", port, reconnectMinMs: 20, reconnectMaxMs: 200, log, ...options, identity },
    {
      onMessage: (frames) => messages.push(frames),
      onConnected: () => connects.push(true),
      onDisconnected: (reason) => disconnects.push(reason),
    },
  );
  return { socket, messages, connects, disconnects, log, identity };
}
