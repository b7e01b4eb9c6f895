// A user's stop request: it ends the user's wait at once and its loop after the task in flight.
// The kill is the user's one AbortSignal (ctx.signal, which its client and tasks see); the stop
// is only read by the loop and woken from the wait it is in, so a flag with a listener slot does:
// a second AbortController and its signal were ~0.34 KB of every idle user (bench/workers/README.md).

/** What the user's waits (SleepQueue, the rate limiter) listen to: an AbortSignal or a UserStop. */
export interface Abortable {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: AbortListener, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

export type AbortListener = (() => void) | { handleEvent(): void };

export class UserStop implements Abortable {
  aborted = false;
  // A user waits on one thing at a time: one slot, and a list only if more ever listen.
  private first: AbortListener | undefined;
  private more: AbortListener[] | undefined;

  /** Listeners hear the stop once, as with `{ once: true }` on an AbortSignal. */
  addEventListener(_type: "abort", listener: AbortListener): void {
    if (this.aborted) return;
    if (this.first === undefined) this.first = listener;
    else {
      this.more ??= [];
      this.more.push(listener);
    }
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    if (this.first === listener) this.first = undefined;
    else if (this.more !== undefined) this.more = this.more.filter((l) => l !== listener);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = [this.first, ...(this.more ?? [])];
    this.first = undefined;
    this.more = undefined;
    for (const listener of listeners) {
      if (typeof listener === "function") listener();
      else listener?.handleEvent();
    }
  }
}
