// The innermost dispatch: a hop's bytes written on a connection of its origin's pool, an idle
// one or, when the retry step asks, a new one. The connection answers the call (call.ts), which
// passes the answer to the handler given here.
import type { Call, Handler } from "./call.ts";
import type { Endpoint } from "./dispatch.ts";
import type { Pool } from "./pool.ts";
import type { Pools } from "./pools.ts";
import type { Origin } from "./request.ts";

export class Connect implements Endpoint {
  handler!: Handler; // set by compose()
  // The last hop's origin and its pool: a user's calls mostly go to one origin, and a field beats
  // a Map lookup by its key string (one memory load less per request at 1,000 users).
  private lastOrigin: Origin | undefined;
  private lastPool: Pool | undefined;

  constructor(private readonly pools: Pools) {}

  dispatch(call: Call): void {
    const hop = call.hop;
    let pool = this.lastPool;
    if (hop.origin !== this.lastOrigin || pool === undefined) {
      pool = this.lastPool = this.pools.for(hop.origin);
      this.lastOrigin = hop.origin;
    }
    call.handler = this.handler;
    const connection = call.fresh ? pool.open() : pool.acquire();
    call.fresh = false;
    connection.send(call.wire, hop.noResponseBody, call.deadline, call.timeoutMs, call);
  }
}
