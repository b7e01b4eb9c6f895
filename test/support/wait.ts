// Bounded waits for tests: every wait has a deadline and says what it was waiting for.

/** Rejects with `what` if the promise takes longer than `ms`, so a failing test fails fast. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a probe returns while it is not done yet: the state to report if the wait times out. */
export class NotYet {
  constructor(readonly detail: string) {}
}

/**
 * Polls `probe` until it returns a value (not undefined, false or NotYet); a probe that throws
 * counts as not yet. Fails after `ms` naming `what` and the last state seen.
 */
export async function waitFor<T>(
  probe: () => T | undefined | NotYet | Promise<T | undefined | NotYet>,
  ms: number,
  what: string,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = "nothing yet";
  for (;;) {
    try {
      const value = await probe();
      if (value instanceof NotYet) last = value.detail;
      else if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last seen: ${last}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Items pushed by callbacks, awaited in order by the test. */
export class Inbox<T> {
  private items: T[] = [];
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The next item matching `match` (earlier non-matching items are discarded). */
  async next(what: string, match: (item: T) => boolean = () => true, ms = 10_000): Promise<T> {
    const find = async (): Promise<T> => {
      for (;;) {
        const index = this.items.findIndex(match);
        if (index >= 0) {
          const [item] = this.items.splice(0, index + 1).slice(-1);
          return item as T;
        }
        await new Promise<void>((wake) => this.waiters.push(wake));
      }
    };
    return within(find(), ms, what);
  }

  get pending(): readonly T[] {
    return this.items;
  }
}
