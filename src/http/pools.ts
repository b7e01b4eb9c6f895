// One client's connection pools, one per origin: a Map, so a call reaches its pool in one step.
import type { ConnectionSettings } from "./connection.ts";
import { Pool } from "./pool.ts";
import type { Origin } from "./request.ts";

export class Pools extends Map<string, Pool> {
  constructor(
    private readonly settings: ConnectionSettings,
    private readonly maxIdlePerOrigin: number,
  ) {
    super();
  }

  for(origin: Origin): Pool {
    let pool = this.get(origin.key);
    if (pool === undefined) {
      pool = new Pool(origin, this.settings, this.maxIdlePerOrigin);
      this.set(origin.key, pool);
    }
    return pool;
  }

  /** Destroys every socket; in-flight requests reject with `reason`. */
  destroyAll(reason: unknown): void {
    for (const pool of this.values()) pool.destroyAll(reason);
  }

  /** Open sockets across all origins, idle or busy. */
  get sockets(): number {
    let count = 0;
    for (const pool of this.values()) count += pool.size;
    return count;
  }
}
