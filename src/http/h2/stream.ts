// One HTTP/2 stream as streams.ts keeps it, and what the streams ask of their connection (session.ts).
import type { Call } from "../call.ts";
import type { RawResponse } from "../raw-response.ts";

export interface H2Stream {
  readonly id: number;
  readonly call: Call;
  response: RawResponse | undefined;
  sendWindow: number;
  body: Uint8Array | undefined; // request body bytes not yet sent (flow control)
}

/** What the streams ask of their connection. */
export interface StreamsLink {
  write(bytes: Uint8Array): void;
  resend(call: Call): void;
  /** Take no new streams (GOAWAY; stream ids used up). */
  drain(): void;
  /** A connection error: the connection ends. */
  fail(why: string): void;
  /** The last stream ended. */
  idle(): void;
}
