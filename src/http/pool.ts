// Keep-alive connections to one origin for one client (= one simulated user). Concurrent calls
// each get their own socket; idle ones are reused newest-first and a few are kept.
import { Connection, type ConnectionOwner, type ConnectionSettings } from "./connection.ts";
import type { Origin } from "./request.ts";

/** Idle sockets kept per origin; a user rarely has more requests in flight than this. */
export const MAX_IDLE_PER_ORIGIN = 8;

export class Pool implements ConnectionOwner {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();

  constructor(
    readonly origin: Origin,
    private readonly settings: ConnectionSettings,
  ) {}

  /** An idle connection, or a new one (connecting in the background; writes queue until then). */
  acquire(): Connection {
    for (let c = this.idle.pop(); c !== undefined; c = this.idle.pop()) if (!c.dead) return c;
    return this.open();
  }

  /** A fresh connection, for the one retry after a reused socket turned out to be closed. */
  open(): Connection {
    const connection = new Connection(this.origin, this, this.settings);
    this.all.add(connection);
    return connection;
  }

  release(connection: Connection): void {
    if (this.idle.length < MAX_IDLE_PER_ORIGIN) this.idle.push(connection);
    else connection.destroy();
  }

  forget(connection: Connection): void {
    this.all.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
  }

  /** Destroys every socket; in-flight requests reject with `reason`. */
  destroyAll(reason: unknown): void {
    for (const connection of [...this.all]) connection.destroy(reason);
    this.idle.length = 0;
  }

  /** Sockets open to this origin, idle or busy (for tests and diagnostics). */
  get size(): number {
    return this.all.size;
  }
}
