// One ZMTP 3.x connection as a pure state machine: bytes in, events out, no sockets or timers.
// The DEALER socket owns the I/O; this owns the order greeting → READY → traffic.
import { FrameDecoder } from "./decoder.ts";
import {
  checkGreeting,
  checkPeerSocketType,
  decodeCommand,
  decodeErrorReason,
  decodeReadyProperties,
  encodeGreeting,
  encodeReady,
  GREETING_SIZE,
  pongFor,
  ZmtpError,
  type PeerGreeting,
} from "./zmtp.ts";

export type SessionEvent =
  /** Bytes the peer must receive (our READY, a PONG). */
  | { type: "write"; bytes: Uint8Array }
  /** The handshake finished: application messages may flow both ways now. */
  | { type: "ready"; peer: PeerInfo }
  | { type: "message"; frames: Uint8Array[] }
  /** The peer broke the protocol: always the last event; the connection must be closed. */
  | { type: "error"; error: ZmtpError };

export interface PeerInfo {
  version: string;
  socketType: string;
}

type Phase = "greeting" | "ready-command" | "traffic";

const encoder = new TextEncoder();

export class ZmtpSession {
  private phase: Phase = "greeting";
  private readonly greeting = new Uint8Array(GREETING_SIZE);
  private greetingHave = 0;
  private peerGreeting: PeerGreeting | undefined;
  private failure: ZmtpError | undefined;
  private readonly frames: FrameDecoder;
  private readonly identity: Uint8Array;

  constructor(options: { identity: string; maxFrameBytes: number }) {
    this.identity = encoder.encode(options.identity);
    this.frames = new FrameDecoder(options.maxFrameBytes);
  }

  /** The first bytes to write once TCP is connected. */
  opening(): Uint8Array {
    return encodeGreeting();
  }

  get handshakeDone(): boolean {
    return this.phase === "traffic";
  }

  /**
   * Feeds one TCP chunk. A protocol violation ends the events with an error event, after what the
   * chunk held before it (a valid message followed by junk is still delivered); never throws.
   */
  feed(chunk: Uint8Array): SessionEvent[] {
    const events: SessionEvent[] = [];
    if (this.failure !== undefined) return [{ type: "error", error: this.failure }];
    try {
      this.consume(chunk, events);
    } catch (error) {
      if (!(error instanceof ZmtpError)) throw error;
      this.failure = error;
      events.push({ type: "error", error });
    }
    return events;
  }

  private consume(chunk: Uint8Array, events: SessionEvent[]): void {
    let rest = chunk;
    if (this.phase === "greeting") {
      const take = Math.min(GREETING_SIZE - this.greetingHave, rest.length);
      this.greeting.set(rest.subarray(0, take), this.greetingHave);
      this.greetingHave += take;
      rest = rest.subarray(take);
      this.peerGreeting = checkGreeting(this.greeting.subarray(0, this.greetingHave));
      if (this.peerGreeting === undefined) return;
      // NULL mechanism: the client's READY goes out once we know the peer speaks ZMTP 3 with NULL.
      events.push({ type: "write", bytes: this.readyCommand() });
      this.phase = "ready-command";
    }
    for (const item of this.frames.push(rest)) {
      if (item.kind === "error") throw item.error;
      if (item.kind === "message") {
        if (this.phase !== "traffic") {
          throw new ZmtpError("bad-frame", "peer sent a message before finishing the handshake");
        }
        events.push({ type: "message", frames: item.frames });
      } else {
        this.onCommand(item.body, events);
      }
    }
  }

  private readyCommand(): Uint8Array {
    return encodeReady([
      ["Socket-Type", encoder.encode("DEALER")],
      ["Identity", this.identity],
    ]);
  }

  private onCommand(body: Uint8Array, events: SessionEvent[]): void {
    const { name, data } = decodeCommand(body);
    if (name === "ERROR") {
      throw new ZmtpError("peer-error", `peer rejected the connection: ${decodeErrorReason(data) || "(no reason given)"}`);
    }
    if (this.phase === "ready-command") {
      if (name !== "READY") {
        throw new ZmtpError("bad-command", `peer sent ${JSON.stringify(name)} where the READY command belongs`);
      }
      const socketType = checkPeerSocketType(decodeReadyProperties(data));
      this.phase = "traffic";
      const g = this.peerGreeting;
      events.push({ type: "ready", peer: { version: `${g?.major ?? 3}.${g?.minor ?? 0}`, socketType } });
      return;
    }
    if (name === "PING") events.push({ type: "write", bytes: pongFor(data) });
    // PONG, SUBSCRIBE, CANCEL and unknown commands mean nothing to a DEALER: ignore them (spec 37).
  }
}
