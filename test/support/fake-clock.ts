// A clock the test moves by hand: epoch seconds and monotonic ms advance together.
import type { Clock } from "../../src/clock.ts";

export class FakeClock implements Clock {
  constructor(private epochSeconds = 1_795_592_059.25) {}

  now(): number {
    return this.epochSeconds * 1000;
  }

  epoch(): number {
    return this.epochSeconds;
  }

  /** Moves time forward by `seconds` (may be fractional). */
  advance(seconds: number): void {
    this.epochSeconds += seconds;
  }

  set(epochSeconds: number): void {
    this.epochSeconds = epochSeconds;
  }
}
