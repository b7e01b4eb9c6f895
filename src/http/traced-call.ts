// A sampled call: the call with its span's ids and start, which the tracer reads when the call
// ends (traced-finish.ts). The span is the call itself: nothing else lives per call until then.
import { Call, type CallInit, type CallSource } from "./call.ts";
import { systemClock } from "../clock.ts";
import { prepare, type Prepared } from "./request.ts";
import type { TracedSource } from "./traced-hop.ts";
import { traceparentText } from "./traceparent.ts";
import type { CallTracer, TracedCallView, TracedResponse } from "./tracing.ts";

export class TracedCall extends Call implements TracedCallView {
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly s0: number;
  readonly s1: number;
  readonly started: number;
  readonly tracer: CallTracer;
  /** Whose request bytes this call was lent (traced-hop.ts): given back when it ends. */
  lender: TracedSource | undefined = undefined;
  private spanEnded = false;

  /** The ids are the tracer's last sampled ones (the client calls sample() just before). */
  constructor(source: CallSource, init: CallInit, tracer: CallTracer) {
    super(source, init);
    this.t0 = tracer.t0;
    this.t1 = tracer.t1;
    this.t2 = tracer.t2;
    this.t3 = tracer.t3;
    this.s0 = tracer.s0;
    this.s1 = tracer.s1;
    // With the system clock the call's start is performance.now() already (saves a read).
    this.started = source.clock === systemClock ? this.start : performance.now();
    this.tracer = tracer;
  }

  /** The URL of the request in flight: a span that ends without a response is still named by it. */
  get href(): string {
    return this.hop.href;
  }

  /** The span ends once, with the call's answer or why it has none. */
  endSpan(response: TracedResponse): void {
    if (this.spanEnded) return;
    this.spanEnded = true;
    this.lender?.giveBack();
    this.tracer.ended(this, response);
  }
  failSpan(reason: unknown): void {
    if (this.spanEnded) return;
    this.spanEnded = true;
    this.lender?.giveBack();
    this.tracer.failed(this, reason);
  }

  /** A redirect's next hop sends the same traceparent (rare: its head is serialized again with it). */
  override to(hop: Prepared): void {
    super.to(hasTraceparent(hop.headers) ? hop : withTraceparent(hop, traceparentText(this), this.client.headers));
  }
}

function hasTraceparent(headers: Readonly<Record<string, string>>): boolean {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === "traceparent") return true;
  return false;
}

function withTraceparent(hop: Prepared, traceparent: string, defaults: Readonly<Record<string, string>>): Prepared {
  const headers = { ...hop.headers, traceparent };
  return prepare(hop.method, new URL(hop.href), hop.target, defaults, headers, hop.body, hop.contentType);
}
