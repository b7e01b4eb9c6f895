// A sampled call's first request (the tracer's traceparent, http/tracing.ts) when the call is
// plain (no headers or body of its own): a copy of the cached request bytes with the traceparent
// written at a fixed offset. Putting the header into the call's options instead made the client
// serialize the whole head again on every sampled call (a URL parse, header checks, an encode).
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
  readonly state: ClientState;
  readonly clock: Clock;
  readonly timeoutMs: number;
  // The request traced last and its bytes with the header's line in place: a load loop asks one URL.
  private from: Prepared | undefined;
  private template: Uint8Array = new Uint8Array(0);
  private at = 0;

  constructor(private readonly client: CallSource) {
    this.state = client.state;
    this.clock = client.clock;
    this.timeoutMs = client.timeoutMs;
  }

  firstHop(method: string, url: string, options: RequestOptions): Prepared {
    const plain = this.client.firstHop(method, url, options);
    if (plain !== this.from) {
      this.from = plain;
      this.at = plain.headLength - 2 + NAME.length; // the line goes before the empty line
      this.template = withLine(plain);
    }
    // A copy per call: a request the kernel did not take at once stays queued by reference.
    const wire = Buffer.allocUnsafe(this.template.byteLength);
    wire.set(this.template);
    writeTraceparent(wire, this.at, this.ids as SpanIds);
    // A redirect's next hop gets the header from the call (traced-call.ts).
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
