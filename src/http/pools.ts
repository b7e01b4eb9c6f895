// One client's connection pools, one per origin.
import type { ConnectionSettings } from "./connection.ts";
import { Pool } from "./pool.ts";
import type { Origin } from "./request.ts";

export class Pools {
  private readonly byOrigin = new Map<string, Pool>();

  constructor(private readonly settings: ConnectionSettings) {}

  for(origin: Origin): Pool {
    let pool = this.byOrigin.get(origin.key);
    if (pool === undefined) {
      pool = new Pool(origin, this.settings);
      this.byOrigin.set(origin.key, pool);
    }
    return pool;
  }

  /** Destroys every socket; in-flight requests reject with `reason`. */
  destroyAll(reason: unknown): void {
    for (const pool of this.byOrigin.values()) pool.destroyAll(reason);
  }

  clear(): void {
    this.byOrigin.clear();
  }

  /** Open sockets across all origins, idle or busy. */
  get size(): number {
    let count = 0;
    for (const pool of this.byOrigin.values()) count += pool.size;
    return count;
  }
}
