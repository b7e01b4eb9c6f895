// Users start in slices of an event-loop turn. Starting a user runs it up to its first await (its
// onStart, the first request written), ~45 µs each with a warm JIT and ~180 µs cold: started in
// one synchronous loop, 1,000 users held the event loop for 100 ms, and the first users' responses,
// there after 20 ms, waited for the last user to start (a 128 ms max against a 20 ms server;
// bench/latency.sh). Each slice runs starts for up to START_SLICE_MS, then lets the event loop
// take the I/O that arrived (setImmediate) before the next one. The users are counted at once,
// as Locust counts a spawned greenlet before it first runs.
import { yieldToEventLoop } from "./sleep.ts";

/** How long one turn may spend starting users before the event loop gets its turn. */
export const START_SLICE_MS = 2;

export class StartQueue {
  private queue: Array<() => void> = [];
  private next = 0;
  private scheduled = false;

  constructor(
    private readonly now: () => number,
    private readonly sliceMs = START_SLICE_MS,
  ) {}

  /** Queues a start; `drain` runs it. */
  push(start: () => void): void {
    this.queue.push(start);
  }

  /** Runs queued starts for up to one slice now, the rest in later event-loop turns. */
  drain(): void {
    if (this.scheduled) return; // a later turn already takes the rest
    const until = this.now() + this.sliceMs;
    while (this.next < this.queue.length) {
      const start = this.queue[this.next++];
      start?.();
      if (this.now() >= until) break;
    }
    if (this.next < this.queue.length) {
      this.scheduled = true;
      void yieldToEventLoop().then(() => {
        this.scheduled = false;
        this.drain();
      });
    } else {
      this.queue = [];
      this.next = 0;
    }
  }
}
