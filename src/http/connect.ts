// The innermost dispatch: a hop's bytes written on a connection of its origin's pool, an idle
// one or, when the retry step asks, a new one; or, where the call asks for HTTP/2, as a stream on
// the client's one HTTP/2 connection to that origin (h2/sessions.ts). The connection answers the
// call (call.ts), which passes the answer to the handler given here.
import type { Call, Handler } from "./call.ts";
import type { Endpoint } from "./dispatch.ts";
import { H2Sessions } from "./h2/sessions.ts";

export class Connect implements Endpoint {
  handler!: Handler; // set by compose()

  dispatch(call: Call): void {
    call.handler = this.handler;
    sendHop(call);
  }
}

/** The hop on HTTP/2 where the call (or its client) asks for it and the origin can, else on the pool. */
function sendHop(call: Call): void {
  const client = call.client;
  const hop = call.hop;
  const fresh = call.fresh;
  call.fresh = false;
  const http2 = call.options.http2 ?? client.http2;
  if (http2 !== false && (hop.origin.tls || http2 === "h2c")) {
    if (client.h2 === undefined) client.h2 = new H2Sessions(client, sendHop);
    const sessions = client.h2 as H2Sessions; // only the line above sets it
    if (!sessions.speaksH1(hop.origin)) return sessions.for(hop.origin).send(call);
  }
  let pool = client.lastPool;
  if (hop.origin !== client.lastOrigin || pool === undefined) {
    pool = client.pools.for(hop.origin);
    client.lastPool = pool;
    client.lastOrigin = hop.origin;
  }
  const connection = fresh ? pool.open() : pool.acquire();
  connection.send(call.wire, hop.noResponseBody, call.deadline, call.timeoutMs, call);
}
