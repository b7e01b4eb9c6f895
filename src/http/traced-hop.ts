// A sampled call's first request (the tracer's traceparent, http/tracing.ts) when the call is
// plain (no headers or body of its own): the client's cached request bytes with a traceparent
// line, written at a fixed offset. Putting the header into the call's options instead made the
// client serialize the whole head again on every sampled call (a URL parse, header checks, an
// encode). The bytes are the client's own copy, lent to one call at a time and written anew for
// the next: a request the kernel did not take at once stays queued by reference (platform/tcp-socket.ts)
// until the call ends, so a call made while another is in flight (Promise.all on one client)
// gets a copy of its own.
import { Buffer } from "node:buffer";
import type { CallSource } from "./call.ts";
import type { ClientState } from "./client-state.ts";
import type { Clock } from "../clock.ts";
import type { RequestOptions } from "./options.ts";
import type { Prepared } from "./request.ts";
import { TRACEPARENT_LENGTH, writeTraceparent } from "./traceparent.ts";
import type { SpanIds } from "./tracing.ts";

const NAME = "traceparent: ";
const LINE = NAME.length + TRACEPARENT_LENGTH + 2;

/** The client's CallSource for its sampled plain calls: the first hop carries the ids `ids` holds when the call starts. */
export class TracedSource implements CallSource {
  ids: SpanIds | undefined;
  /** The last firstHop() lent this source's request: its call gives it back when it ends (lend()). */
  lent = false;
  readonly state: ClientState;
  readonly clock: Clock;
  readonly timeoutMs: number;
  // The request traced last, and the same request with the header's line in place: a load loop asks one URL.
  private from: Prepared | undefined;
  private traced: Prepared | undefined;
  private at = 0;
  private busy = false;

  constructor(private readonly client: CallSource) {
    this.state = client.state;
    this.clock = client.clock;
    this.timeoutMs = client.timeoutMs;
  }

  firstHop(method: string, url: string, options: RequestOptions): Prepared {
    const plain = this.client.firstHop(method, url, options);
    const ids = this.ids as SpanIds;
    if (plain !== this.from) {
      if (this.busy) return this.copy(plain, ids); // the lent request is another URL's: keep it
      this.from = plain;
      this.at = plain.headLength - 2 + NAME.length; // the line goes before the empty line
      this.traced = { ...plain, wire: withLine(plain), headLength: plain.headLength + LINE, cookieWire: undefined, h2Headers: undefined };
    }
    if (this.busy) return this.copy(plain, ids);
    const traced = this.traced as Prepared;
    writeTraceparent(traced.wire, this.at, ids);
    // What was made from the bytes before holds the last call's traceparent.
    traced.cookieWire = undefined;
    traced.h2Headers = undefined;
    this.busy = true;
    this.lent = true;
    return traced;
  }

  /** The call that was lent the request ended: its bytes are sent, or dropped with their connection. */
  giveBack(): void {
    this.busy = false;
  }

  // A request of its own for a call made while the lent one is in flight. A redirect's next hop
  // gets the header from the call (traced-call.ts).
  private copy(plain: Prepared, ids: SpanIds): Prepared {
    this.lent = false;
    const wire = withLine(plain);
    writeTraceparent(wire, plain.headLength - 2 + NAME.length, ids);
    return { ...plain, wire, headLength: plain.headLength + LINE, cookieWire: undefined, h2Headers: undefined };
  }
}

function withLine(prepared: Prepared): Uint8Array {
  const at = prepared.headLength - 2;
  const line = Buffer.from(`${NAME}${"0".repeat(TRACEPARENT_LENGTH)}\r\n`, "latin1");
  const wire = Buffer.allocUnsafe(prepared.wire.byteLength + line.byteLength);
  wire.set(prepared.wire.subarray(0, at));
  wire.set(line, at);
  wire.set(prepared.wire.subarray(at), at + line.byteLength);
  return wire;
}
