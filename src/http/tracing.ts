// The HTTP client's one hook for telemetry (src/otel/ fills it): a span per call, its W3C
// traceparent sent with the request. A client reads the slot on every call, so telemetry that
// loads after the users started (a master's --otel arrives with the first spawn) still reaches
// them; while the slot is empty a call pays one field read and one branch. The shapes below are
// the parts of a call and its response a tracer reads (options.ts imports this file).

/** What a tracer reads of a call's options: its explicit name, and the headers it adds to. */
export interface TracedOptions {
  readonly name?: string;
  readonly headers?: Record<string, string>;
}

/** What a tracer reads of the response that ends the span. */
export interface TracedResponse {
  /** 0 for a network failure. */
  readonly status: number;
  /** The final URL, credentials masked. */
  readonly url: string;
  readonly error: { readonly code: string } | undefined;
}

/** A sampled span's W3C traceparent header value, "00-<trace id>-<span id>-01": 55 characters. */
export interface Traceparent {
  /** Writes the 55 characters as latin1 bytes at `offset` (no string made per request). */
  writeTo(bytes: Uint8Array, offset: number): void;
  /** The value as text, for a call whose head is serialized anyway. */
  text(): string;
}

export interface CallTracer {
  /**
   * Sends the call through `send` inside a span and ends the span with the response; `send` is
   * given the span's traceparent when the span is sampled (the client writes it into the
   * request), undefined when not (the call goes out as without telemetry).
   */
  trace<O extends TracedOptions, R extends TracedResponse>(
    method: string,
    url: string,
    options: O,
    send: (method: string, url: string, options: O, traceparent: Traceparent | undefined) => Promise<R>,
  ): Promise<R>;
}

/** Where the clients of one process find the tracer; the shell that owns the telemetry sets it. */
export interface TracingSlot {
  tracer: CallTracer | undefined;
}

/** No telemetry: the slot a client gets when nobody passes one. */
export const NO_TRACING: TracingSlot = Object.freeze({ tracer: undefined });
