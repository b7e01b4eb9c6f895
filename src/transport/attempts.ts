// The DEALER's connection attempts: the backoff before the next one, and how loud each failure is
// logged (a master that is still starting, or the same failure again, is not worth a warning).
import { backoffDelay } from "./backoff.ts";

/** Refused connections before the first one that are logged below warning (about 10 s at the default backoff). */
const STARTUP_ATTEMPTS = 8;
/** The same failure again is debug, but every this many repeats a warning again: 30-60 s apart at the 5 s backoff cap. */
const REMIND_EVERY = 12;

export type FailureLevel = "debug" | "info" | "warn";

export class ConnectAttempts {
  private attempt = 0;
  private lastFailure: string | undefined;
  private repeats = 0;
  private everConnected = false;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** A handshake finished: the backoff starts over. Says whether this was the first connection. */
  succeeded(): "connected" | "reconnected" {
    const verb = this.everConnected ? "reconnected" : "connected";
    this.everConnected = true;
    this.attempt = 0;
    this.lastFailure = undefined;
    this.repeats = 0;
    return verb;
  }

  /** An attempt failed: the delay before the next one, the level to log `reason` at, and how many failed in a row. */
  failed(reason: string): { delayMs: number; level: FailureLevel; attempts: number } {
    const delayMs = backoffDelay(this.attempt++, this.minMs, this.maxMs);
    return { delayMs, level: this.levelOf(reason), attempts: this.attempt };
  }

  /**
   * Repeats are debug, but a failure that lasts (a mistyped --master-host) is said again now and
   * then, so the log does not go quiet on it; a refused first connection is info for a while (the
   * master may be starting).
   */
  private levelOf(reason: string): FailureLevel {
    if (!this.everConnected && this.attempt < STARTUP_ATTEMPTS && reason.startsWith("connection refused")) {
      return this.attempt === 1 ? "info" : "debug";
    }
    const repeat = reason === this.lastFailure;
    this.lastFailure = reason;
    this.repeats = repeat ? this.repeats + 1 : 0;
    return !repeat || this.repeats % REMIND_EVERY === 0 ? "warn" : "debug";
  }
}
