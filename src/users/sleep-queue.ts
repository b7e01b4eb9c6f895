// Every user's sleep (wait times, ctx.sleep) on one timer: a min-heap of deadlines and one timer
// armed for the earliest. A timer per sleeping user cost each idle user a native timer, its
// callback and the async context it captured (bench/workers/README.md).
import { type Clock, systemClock } from "../clock.ts";
import { StoppedError } from "./sleep.ts";
import type { Abortable } from "./stop.ts";

/** How the queue arms its one timer; injected so tests run without real time. */
export interface TimerHost {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: TimerHost = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

// setTimeout fires at once past 2^31-1 ms; a longer wait re-arms for the rest.
const MAX_TIMER_MS = 2 ** 31 - 1;

// The entry is its own abort listener (handleEvent): no closure per sleep.
class Sleeper {
  index = -1;
  constructor(
    readonly deadline: number,
    readonly seq: number,
    readonly resolve: () => void,
    readonly reject: (error: Error) => void,
    readonly signal: Abortable | undefined,
    readonly queue: SleepQueue,
  ) {}

  handleEvent(): void {
    this.queue.cancel(this);
  }
}

export class SleepQueue {
  private readonly heap: Sleeper[] = [];
  private seq = 0;
  private timer: unknown;
  /** The deadline the armed timer was set for; Infinity when none is armed. */
  private armedFor = Infinity;
  private readonly fire = () => this.wake();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly timers: TimerHost = realTimers,
  ) {}

  /** Resolves after `ms`; rejects with StoppedError at once when `signal` aborts, as sleep() does. */
  sleep(ms: number, signal?: Abortable): Promise<void> {
    if (signal?.aborted) return Promise.reject(new StoppedError());
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const entry = new Sleeper(this.clock.now() + Math.max(0, ms), this.seq++, resolve, reject, signal, this);
    signal?.addEventListener("abort", entry, { once: true });
    this.push(entry);
    if (entry.deadline < this.armedFor) this.arm(entry.deadline);
    return promise;
  }

  /** Sleeps not yet due nor cancelled. */
  get size(): number {
    return this.heap.length;
  }

  cancel(entry: Sleeper): void {
    if (entry.index < 0) return;
    this.remove(entry.index);
    entry.reject(new StoppedError());
    // An early timer for a cancelled head only wakes to re-arm; none is left for an empty queue.
    if (this.heap.length === 0) this.disarm();
  }

  private wake(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    // Due in deadline order, equal deadlines in the order they were asked for.
    for (let head = this.heap[0]; head !== undefined && head.deadline <= now; head = this.heap[0]) {
      this.remove(0);
      head.signal?.removeEventListener("abort", head);
      head.resolve();
    }
    const next = this.heap[0];
    if (next) this.arm(next.deadline);
  }

  private arm(deadline: number): void {
    this.disarm();
    this.armedFor = deadline;
    // At least 1 ms: a timer that fires a little early finds nothing due and re-arms.
    this.timer = this.timers.set(this.fire, Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(deadline - this.clock.now()))));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  // A binary min-heap on (deadline, seq); each entry knows its index, so a cancel is O(log n).
  private push(entry: Sleeper): void {
    entry.index = this.heap.length;
    this.heap.push(entry);
    this.up(entry.index);
  }

  private remove(i: number): void {
    const heap = this.heap;
    const gone = heap[i] as Sleeper;
    const last = heap.pop() as Sleeper;
    gone.index = -1;
    if (last === gone) return;
    heap[i] = last;
    last.index = i;
    this.down(i);
    this.up(last.index);
  }

  private up(i: number): void {
    const heap = this.heap;
    const entry = heap[i] as Sleeper;
    while (i > 0) {
      const parentAt = (i - 1) >> 1;
      const parent = heap[parentAt] as Sleeper;
      if (!before(entry, parent)) break;
      heap[i] = parent;
      parent.index = i;
      i = parentAt;
    }
    heap[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const entry = heap[i] as Sleeper;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Sleeper, heap[left] as Sleeper) ? right : left;
      const childEntry = heap[child] as Sleeper;
      if (!before(childEntry, entry)) break;
      heap[i] = childEntry;
      childEntry.index = i;
      i = child;
    }
    heap[i] = entry;
    entry.index = i;
  }
}

const before = (a: Sleeper, b: Sleeper) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
