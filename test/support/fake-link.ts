// An in-process master for whole-worker tests: a WorkerLink that hands the worker's messages
// to the test (decoded) and lets the test play the master, plus timers the test fires by hand.
import { decode } from "@msgpack/msgpack";
import type { Clock } from "../../src/clock.ts";
import { encodeMsgpack } from "../../src/protocol/index.ts";
import type { LinkEvents, LinkFactory, WorkerLink } from "../../src/worker/link.ts";
import type { Every } from "../../src/clock.ts";
import { Inbox } from "./wait.ts";

export interface SentMessage {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the message data as the worker sent it; each test reads the fields of its type
  data: any;
  nodeId: string;
}

export class FakeLink implements WorkerLink {
  readonly sent = new Inbox<SentMessage>();
  /** Every message the worker sent, in order (the inbox consumes; this keeps them). */
  readonly log: SentMessage[] = [];
  connected = false;
  started = false;
  closed = false;
  reconnects: string[] = [];
  identity = "";
  private events: LinkEvents | undefined;

  /** The LinkFactory to pass to startWorker. */
  readonly factory: LinkFactory = (identity, events) => {
    this.identity = identity;
    this.events = events;
    return this;
  };

  start(): void {
    this.started = true;
  }

  send(frame: Uint8Array): void {
    const [type, data, nodeId] = decode(frame) as [string, unknown, string];
    const message = { type, data, nodeId };
    this.log.push(message);
    this.sent.push(message);
  }

  reconnect(reason: string): void {
    this.reconnects.push(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connected = false;
  }

  /** The master side: the connection comes up. */
  connect(): void {
    this.connected = true;
    this.events?.onConnected();
  }

  /** The master side: sends `[type, data, nodeId]`, as Locust's master does. */
  deliver(type: string, data: unknown): void {
    this.events?.onMessage([encodeMsgpack([type, data, this.identity])]);
  }

  /** The next message of this type the worker sends (earlier ones of other types are skipped). */
  next(type: string): Promise<SentMessage> {
    return this.sent.next(`the worker to send "${type}"`, (m) => m.type === type, 5_000);
  }
}

/** Intervals that fire only when the test advances time; the clock moves with them. */
export class FakeTimers {
  private timers: Array<{ every: number; due: number; fn: () => void; stopped: boolean }> = [];
  private nowMs = 0;

  constructor(private readonly clock?: { advance(seconds: number): void } & Clock) {}

  readonly every: Every = (ms, fn) => {
    const timer = { every: ms, due: this.nowMs + ms, fn, stopped: false };
    this.timers.push(timer);
    return () => {
      timer.stopped = true;
    };
  };

  /** Moves time forward, firing each interval as often as it falls due, in time order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = this.timers.filter((t) => !t.stopped && t.due <= end).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.clock?.advance((next.due - this.nowMs) / 1000);
      this.nowMs = next.due;
      next.due += next.every;
      next.fn();
    }
    this.clock?.advance((end - this.nowMs) / 1000);
    this.nowMs = end;
  }

  get active(): number {
    return this.timers.filter((t) => !t.stopped).length;
  }
}
