// The calls waiting on one socket (receive, request, the iterator's next), the messages nobody
// waits for yet, and how each message and failure is recorded: a message goes to the first
// request whose match accepts it (one WS row: the round trip), else it is counted as WS-recv and
// handed to receive(). Deadlines share one timer per socket, re-armed only when it fires early.
import { clearTimeout, setTimeout } from "node:timers";
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import { WebSocketError } from "./errors.ts";

export type Message = string | Uint8Array;

/** How much a socket keeps of the messages nobody waited for (WebSocketOptions.maxInbox*). */
export interface InboxLimits {
  readonly messages: number;
  readonly bytes: number;
}

export const TYPE = { connect: "WS-conn", request: "WS", send: "WS-send", receive: "WS-recv" } as const;

/** Who a socket records for. */
export interface Recording {
  readonly recorder: Recorder;
  readonly clock: Clock;
  /** The user's current task: a message recorded from a socket event names the task it came in. */
  task(): string | undefined;
}

/** Who a socket records for and answers to. */
export interface Owner<Socket> extends Recording {
  /** The socket ended (closed, lost or destroyed): forget it. */
  ended(socket: Socket): void;
}

interface Waiter {
  readonly request: boolean;
  readonly match: ((message: Message) => boolean) | undefined;
  readonly name: string; // the request's stats name; the socket's for receive()
  readonly task: string | undefined;
  readonly start: number; // clock.now(): a request's round trip is measured from it
  readonly deadline: number; // performance.now(); Infinity: never
  readonly timeoutMs: number;
  readonly iterating: boolean; // the iterator's next(): the task's own close ends it
  readonly resolve: (message: Message | undefined) => void;
  readonly reject: (reason: unknown) => void;
}

type Timer = ReturnType<typeof setTimeout>;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Calls {
  // Messages nobody waited for, kept for receive() and the iterator, within the socket's limits.
  private readonly inbox: { readonly message: Message; readonly bytes: number }[] = [];
  private inboxBytes = 0;
  private readonly list: Waiter[] = [];
  private timer: Timer | null = null;
  private timerAt = Infinity;
  /** The socket's own deadline (handshake, close) besides the calls'. */
  private own = Infinity;

  constructor(
    private readonly rec: Recording,
    private readonly name: string,
    private readonly href: string,
    private readonly ownExpired: () => void,
    private readonly limits: InboxLimits,
  ) {}

  /** The oldest message nobody waited for, if any. */
  take(): Message | undefined {
    const kept = this.inbox.shift();
    if (kept === undefined) return undefined;
    this.inboxBytes -= kept.bytes;
    return kept.message;
  }

  /** Why a message of `bytes` did not fit (deliver() said false). */
  fullReason(bytes: number): string {
    const held = `${this.inbox.length} messages (${this.inboxBytes} bytes) waited unread`;
    return `${held} when one more of ${bytes} bytes came (maxInboxMessages ${this.limits.messages}, maxInboxBytes ${this.limits.bytes})`;
  }

  wait(request: boolean, match: Waiter["match"], name: string, timeoutMs: number, iterating: boolean): Promise<Message | undefined> {
    // The executor is made once per socket (the HTTP client's way): a closure per call showed in the profile.
    const promise = new Promise<Message | undefined>(this.takeSettlers);
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    const start = this.rec.clock.now();
    const { nextResolve: resolve, nextReject: reject } = this;
    this.list.push({ request, match, name, task: this.rec.task(), start, deadline, timeoutMs, iterating, resolve, reject });
    this.arm(deadline);
    return promise;
  }

  private nextResolve: Waiter["resolve"] = () => {};
  private nextReject: Waiter["reject"] = () => {};
  private readonly takeSettlers = (resolve: Waiter["resolve"], reject: Waiter["reject"]): void => {
    this.nextResolve = resolve;
    this.nextReject = reject;
  };

  /** Hands a message to its call, or keeps it; false when it would not fit in the inbox (not kept, not recorded). */
  deliver(message: Message, bytes: number): boolean {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const waiter = list[i] as Waiter;
      if (!waiter.request) continue;
      let taken: boolean;
      try {
        taken = waiter.match === undefined || waiter.match(message);
      } catch (error) {
        list.splice(i--, 1);
        this.rec.recorder.failure(TYPE.request, waiter.name, this.rec.clock.now() - waiter.start, error, 0, waiter.task);
        waiter.reject(new WebSocketError("EINVALIDOPTION", `the request's match threw: ${String(error)}`, true, error));
        continue;
      }
      if (!taken) continue;
      list.splice(i, 1);
      this.rec.recorder.success(TYPE.request, waiter.name, this.rec.clock.now() - waiter.start, bytes, waiter.task);
      waiter.resolve(message);
      return true;
    }
    const receiver = list.findIndex((waiter) => !waiter.request);
    if (receiver < 0 && (this.inbox.length >= this.limits.messages || this.inboxBytes + bytes > this.limits.bytes)) return false;
    this.rec.recorder.success(TYPE.receive, this.name, 0, bytes, this.rec.task());
    if (receiver >= 0) (list.splice(receiver, 1)[0] as Waiter).resolve(message);
    else {
      this.inbox.push({ message, bytes });
      this.inboxBytes += bytes;
    }
    return true;
  }

  /**
   * The socket ended: every call rejects with `reason`. A recorded end (the server closed, the
   * connection dropped, the stream broke) is one failure per request in flight, else one WS-recv
   * failure; the task's own close ends iterations instead.
   */
  endAll(reason: unknown, record: boolean): void {
    this.setOwn(Infinity);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
    const waiters = this.list.splice(0);
    if (record) {
      const text = reason instanceof Error ? reason.message : String(reason);
      const now = this.rec.clock.now();
      const requests = waiters.filter((waiter) => waiter.request);
      for (const waiter of requests) this.rec.recorder.failure(TYPE.request, waiter.name, now - waiter.start, text, 0, waiter.task);
      if (requests.length === 0) this.rec.recorder.failure(TYPE.receive, this.name, 0, text, 0, this.rec.task());
    }
    const ends = reason instanceof WebSocketError && reason.code === "ECLOSED" && !reason.recorded;
    for (const waiter of waiters) {
      if (waiter.iterating && ends) waiter.resolve(undefined);
      else waiter.reject(reason);
    }
  }

  setOwn(deadline: number): void {
    this.own = deadline;
    this.arm(deadline);
  }

  private arm(deadline: number): void {
    if (deadline === Infinity || (this.timer !== null && this.timerAt <= deadline)) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(this.onTimer, Math.min(MAX_TIMER_MS, Math.max(1, deadline - performance.now())));
    this.timer.unref();
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    this.timerAt = Infinity;
    const now = performance.now();
    if (this.own <= now) return this.ownExpired();
    let next = this.own;
    for (const waiter of [...this.list]) {
      if (waiter.deadline > now) {
        next = Math.min(next, waiter.deadline);
        continue;
      }
      this.list.splice(this.list.indexOf(waiter), 1);
      const what = waiter.request ? `no reply to the request within ${waiter.timeoutMs} ms` : `no message within ${waiter.timeoutMs} ms`;
      const error = new WebSocketError("ETIMEDOUT", `${this.href}: ${what}`, true);
      const elapsed = this.rec.clock.now() - waiter.start;
      this.rec.recorder.failure(waiter.request ? TYPE.request : TYPE.receive, waiter.name, elapsed, error.message, 0, waiter.task);
      waiter.reject(error);
    }
    if (this.timer === null) this.arm(next);
  };
}
