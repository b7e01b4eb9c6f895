// The free users of one open-model class: an iteration that comes due goes to a free user at once,
// to a user started for it (when the class may grow), or is dropped and counted. A user that
// starts an iteration late (its onStart ran first, --max-rps held it, the loop was behind) counts
// as late, and its first request is timed from the scheduled start (late.ts).
import type { Abortable } from "../stop.ts";

/** A start this late (ms) counts as a late iteration; below it is timer noise, still added to the first request's time. */
export const LATE_AFTER_MS = 100;

export interface IterationsOptions {
  /** Monotonic ms, the clock the iterations' due times are on. */
  readonly now: () => number;
  /** Starts one more user of the class if it may (under --max-users); it takes the iteration after its onStart. */
  readonly grow?: () => boolean;
  readonly onDropped: () => void;
  readonly onLate: (lateMs: number) => void;
}

export class Iterations {
  private readonly idle: Array<(dueMs: number | undefined) => void> = [];
  private readonly pending: number[] = []; // due times kept for users started for them
  private head = 0;
  private starting = 0; // users started for this class whose onStart has not finished

  constructor(private readonly opts: IterationsOptions) {}

  /** Users waiting for an iteration. */
  get free(): number {
    return this.idle.length;
  }

  /** Iterations waiting for a user still in its onStart. */
  get waiting(): number {
    return this.pending.length - this.head;
  }

  /**
   * An iteration is due at `dueMs`: a free user gets it; else a user still in its onStart, or one
   * started for it; else it is dropped.
   */
  offer(dueMs: number): void {
    const user = this.idle.pop(); // the user freed last: its connection is the warmest
    if (user) user(dueMs);
    else if (this.waiting < this.starting || this.opts.grow?.()) this.pending.push(dueMs);
    else this.opts.onDropped();
  }

  /** A user of the class is starting (the pool calls it before the user's onStart). */
  expect(): void {
    this.starting++;
  }

  /** The class stopped (a master's stop): iterations kept for users in their onStart are forgotten, not started in the next test. */
  forget(): void {
    this.pending.length = 0;
    this.head = 0;
  }

  /** That user's onStart is over (or it left in it): once per expect(). */
  arrived(): void {
    this.starting--;
  }

  /** A free user waits for its next iteration: its due time, or undefined once `signal` aborts. */
  take(signal: Abortable): Promise<number | undefined> {
    if (signal.aborted) return Promise.resolve(undefined);
    if (this.head < this.pending.length) {
      const due = this.pending[this.head++] as number;
      if (this.head === this.pending.length) {
        this.pending.length = 0;
        this.head = 0;
      }
      return Promise.resolve(due);
    }
    return new Promise((resolve) => {
      const hand = (dueMs: number | undefined) => {
        signal.removeEventListener("abort", onAbort);
        resolve(dueMs);
      };
      const onAbort = () => {
        const at = this.idle.indexOf(hand);
        if (at >= 0) this.idle.splice(at, 1);
        resolve(undefined);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.idle.push(hand);
    });
  }

  /** The user starts the iteration due at `dueMs` now: how late it is (ms, ≥ 0), counted when LATE_AFTER_MS or more. */
  begin(dueMs: number): number {
    const late = Math.max(0, this.opts.now() - dueMs);
    if (late >= LATE_AFTER_MS) this.opts.onLate(late);
    return late;
  }
}
