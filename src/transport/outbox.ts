// Messages sent while the DEALER is not connected wait here, encoded, until the handshake ends.
// Bounded: past the cap the oldest message goes, with one warning per outage.

export class Outbox {
  private queue: Uint8Array[] = [];
  private dropWarned = false;

  constructor(
    private readonly max: number,
    /** Called on the first drop since the last drain. */
    private readonly onFirstDrop: () => void,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  push(bytes: Uint8Array): void {
    this.queue.push(bytes);
    if (this.queue.length <= this.max) return;
    this.queue.shift();
    if (this.dropWarned) return;
    this.dropWarned = true;
    this.onFirstDrop();
  }

  /** Takes every waiting message, oldest first; the next outage warns again. */
  drain(): Uint8Array[] {
    const waiting = this.queue;
    this.queue = [];
    this.dropWarned = false;
    return waiting;
  }
}
