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
  // The newest idle connection sits in a field and the older ones in the array: a user with one
  // request at a time never reaches the array (at 1,000 users, its object and its storage were two
  // memory loads per acquire and two per release: bench/workers/README.md).
  private spare: Connection | undefined;
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();

  constructor(
    readonly origin: Origin,
    private readonly settings: ConnectionSettings,
    private readonly maxIdle: number = MAX_IDLE_PER_ORIGIN,
  ) {}

  /** An idle connection, or a new one (connecting in the background; writes queue until then). */
  acquire(): Connection {
    const spare = this.spare;
    if (spare !== undefined) {
      this.spare = this.idle.length > 0 ? this.idle.pop() : undefined;
      if (!spare.dead) return spare;
      return this.acquire();
    }
    return this.open();
  }

  /** A fresh connection, for the one retry after a reused socket turned out to be closed. */
  open(): Connection {
    const connection = new Connection(this.origin, this, this.settings);
    this.all.add(connection);
    return connection;
  }

  release(connection: Connection): void {
    if (this.spare === undefined) this.spare = connection;
    else if (this.idle.length < this.maxIdle - 1) {
      this.idle.push(this.spare);
      this.spare = connection;
    } else connection.destroy();
  }

  forget(connection: Connection): void {
    this.all.delete(connection);
    if (this.spare === connection) this.spare = this.idle.pop();
    else {
      const at = this.idle.indexOf(connection);
      if (at >= 0) this.idle.splice(at, 1);
    }
  }

  /** Destroys every socket; in-flight requests reject with `reason`. */
  destroyAll(reason: unknown): void {
    for (const connection of [...this.all]) connection.destroy(reason);
    this.spare = undefined;
    this.idle.length = 0;
  }

  /** Sockets open to this origin, idle or busy (for tests and diagnostics). */
  get size(): number {
    return this.all.size;
  }
}
