// Keep-alive connections to one origin for one client (= one simulated user). Concurrent calls
// each get their own socket; idle ones are reused newest-first and a few are kept.
import { Connection, type ConnectionOwner, type ConnectionSettings } from "./connection.ts";
import type { Origin } from "./request.ts";

/**
 * Idle sockets kept per origin by default: python-requests keeps 10 (`pool_maxsize`), so a task
 * that sends a batch of 10 at once reuses its 10 sockets instead of closing and opening some.
 */
export const MAX_IDLE_PER_ORIGIN = 10;

export class Pool implements ConnectionOwner {
  // A user with one request at a time uses one connection over and over: it stays in `spare`, and
  // `spareIdle` says whether it is free, so a request stores no object into the pool (at 1,000 users
  // an old object written with another is revisited at every eden collection) and never reaches the
  // array of older idle ones (another memory load per acquire and release: bench/workers/README.md).
  private spare: Connection | undefined;
  private spareIdle = false;
  private readonly idle: Connection[] = []; // idle connections other than the spare, newest last
  private readonly all = new Set<Connection>();

  constructor(
    readonly origin: Origin,
    private readonly settings: ConnectionSettings,
    private readonly maxIdle: number = MAX_IDLE_PER_ORIGIN,
  ) {}

  /** An idle connection, or a new one (connecting in the background; writes queue until then). */
  acquire(): Connection {
    if (this.spareIdle) {
      this.spareIdle = false;
      const spare = this.spare as Connection;
      if (!spare.dead) return spare; // a dead one is forgotten at once (forget): never seen here
    }
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    return this.open();
  }

  /** A fresh connection, for the one retry after a reused socket turned out to be closed. */
  open(): Connection {
    const connection = new Connection(this.origin, this, this.settings);
    this.all.add(connection);
    return connection;
  }

  release(connection: Connection): void {
    if (connection === this.spare) this.spareIdle = true;
    else if (!this.spareIdle) {
      this.spare = connection;
      this.spareIdle = true;
    } else if (this.idle.length < this.maxIdle - 1) this.idle.push(connection);
    else connection.destroy();
  }

  forget(connection: Connection): void {
    this.all.delete(connection);
    if (this.spare === connection) {
      this.spare = undefined;
      this.spareIdle = false;
    } else {
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
    }
  }

  /** Destroys every socket; in-flight requests reject with `reason`. */
  destroyAll(reason: unknown): void {
    for (const connection of [...this.all]) connection.destroy(reason);
    this.spare = undefined;
    this.spareIdle = false;
    this.idle.length = 0;
  }

  /** Sockets open to this origin, idle or busy (for tests and diagnostics). */
  get size(): number {
    return this.all.size;
  }
}
