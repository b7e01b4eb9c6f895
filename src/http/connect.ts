// The innermost dispatch: a hop's bytes written on a connection of its origin's pool, an idle
// one or, when the retry step asks, a new one. The connection answers the call (call.ts), which
// passes the answer to the handler given here.
import type { Call, Handler } from "./call.ts";
import type { Endpoint } from "./dispatch.ts";

export class Connect implements Endpoint {
  handler!: Handler; // set by compose()

  dispatch(call: Call): void {
    const client = call.client;
    const hop = call.hop;
    let pool = client.lastPool;
    if (hop.origin !== client.lastOrigin || pool === undefined) {
      pool = client.pools.for(hop.origin);
      client.lastPool = pool;
      client.lastOrigin = hop.origin;
    }
    call.handler = this.handler;
    const connection = call.fresh ? pool.open() : pool.acquire();
    call.fresh = false;
    connection.send(call.wire, hop.noResponseBody, call.deadline, call.timeoutMs, call);
  }
}
