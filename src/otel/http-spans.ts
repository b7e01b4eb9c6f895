// A span per sampled HTTP call (the client's hook, http/tracing.ts), named and attributed as
// Locust's requests instrumentation names it: "GET <name>" for a call given a name, else
// "GET <path>", kind CLIENT, with the stable HTTP semantic conventions (span-queue.ts,
// otlp-spans.ts). A sampled span's W3C traceparent goes to the target with the request; an
// unsampled call goes out as it would without telemetry. The sampler decides first, from four
// random words (span-ids.ts), exactly as TraceIdRatioBasedSampler decides on that trace id; a
// sampled call carries its ids, and when it ends its span goes into the export queue as numbers.
import type { CallTracer, TracedCallView, TracedResponse } from "../http/tracing.ts";
import type { SamplerName } from "./settings.ts";
import { IdSource, ratioBound } from "./span-ids.ts";
import type { SpanQueue } from "./span-queue.ts";

export interface SpanTracerInit {
  /** Where ended spans go. */
  readonly queue: SpanQueue;
  readonly sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG for the traceidratio samplers. */
  readonly ratio: number;
  readonly ids?: IdSource;
}

/** The tracer for the clients' slot; undefined when the sampler samples nothing (the calls go out untouched). */
export function spanTracer(init: SpanTracerInit): CallTracer | undefined {
  // Our spans are roots (no context is propagated into a task), so parentbased_X samples as X.
  const root = init.sampler.replace(/^parentbased_/, "");
  if (root === "always_off") return undefined;
  const bound = root === "traceidratio" ? ratioBound(init.ratio) : 4294967296;
  if (bound === 0) return undefined;
  return new SampledTracer(init.queue, init.ids ?? new IdSource(), bound);
}

class SampledTracer implements CallTracer {
  t0 = 0;
  t1 = 0;
  t2 = 0;
  t3 = 0;
  s0 = 0;
  s1 = 0;

  constructor(
    private readonly queue: SpanQueue,
    private readonly ids: IdSource,
    private readonly bound: number,
  ) {}

  sample(): boolean {
    const ids = this.ids;
    const a = ids.next();
    const b = ids.next();
    const c = ids.next();
    const d = ids.next();
    // TraceIdRatioBasedSampler's test on the id's words; an all-zero id is invalid (never sampled).
    if ((a ^ b ^ c ^ d) >>> 0 >= this.bound || (a | b | c | d) === 0) return false;
    let e = ids.next();
    const f = ids.next();
    if ((e | f) === 0) e = 1; // an all-zero span id is invalid
    this.t0 = a;
    this.t1 = b;
    this.t2 = c;
    this.t3 = d;
    this.s0 = e;
    this.s1 = f;
    return true;
  }

  ended(call: TracedCallView, response: TracedResponse): void {
    // The span lasts as long as the latency recorded (no clock read of its own).
    this.queue.responded(call, call.started + response.elapsedMs, response.status, response.url, response.error?.code);
  }

  failed(call: TracedCallView, reason: unknown): void {
    this.queue.failed(call, performance.now(), reason instanceof Error ? reason.message : String(reason));
  }
}
