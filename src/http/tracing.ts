// The HTTP client's one hook for telemetry (src/otel/ fills it): a span per sampled call, its
// W3C traceparent sent with the request. A client reads the slot on every call, so telemetry
// that loads after the users started (a master's --otel arrives with the first spawn) still
// reaches them; while the slot is empty a call pays one field read and one branch. A sampled call
// is a TracedCall (traced-call.ts) sent down a pipeline whose last step tells the tracer it ended
// (traced-finish.ts): no span object and no promise per call besides the call's own.

/** A span's ids as 32-bit words, big-endian: the trace id t0..t3, the span id s0 s1. */
export interface SpanIds {
  readonly t0: number;
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly s0: number;
  readonly s1: number;
}

/** What a tracer reads of a call's options: its explicit name, and the headers it adds to. */
export interface TracedOptions {
  readonly name?: string;
  readonly headers?: Record<string, string>;
}

/** A sampled call, as the tracer reads it when it ends. */
export interface TracedCallView extends SpanIds {
  readonly method: string;
  readonly options: TracedOptions;
  /** performance.now() when the call started. */
  readonly started: number;
  /** The absolute URL of its request in flight (no credentials); undefined for a call never made. */
  readonly href?: string;
}

/** What a tracer reads of the response that ends the span. */
export interface TracedResponse {
  /** 0 for a network failure. */
  readonly status: number;
  /** The final URL, credentials masked. */
  readonly url: string;
  readonly error: { readonly code: string } | undefined;
  /** From the call's start to its response, on the client's clock (the latency it records). */
  readonly elapsedMs: number;
}

export interface CallTracer extends SpanIds {
  /**
   * Draws the next call's trace id and says whether it is sampled; a sampled call's ids are this
   * tracer's t0..s1 until the next sample() (the client reads them at once, synchronously).
   */
  sample(): boolean;
  /** A sampled call ended with a response (status 0: a network failure). */
  ended(call: TracedCallView, response: TracedResponse): void;
  /** A sampled call ended without one: the user was stopped mid-call, or the call was malformed. */
  failed(call: TracedCallView, reason: unknown): void;
}

/** Where the clients of one process find the tracer; the shell that owns the telemetry sets it. */
export interface TracingSlot {
  tracer: CallTracer | undefined;
}

/** No telemetry: the slot a client gets when nobody passes one. */
export const NO_TRACING: TracingSlot = Object.freeze({ tracer: undefined });
