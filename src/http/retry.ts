// The one retry a call gets: a keep-alive socket the server closed while it sat idle fails
// before any response byte; urllib3 then sends again on a new socket, but only a method that is
// safe to repeat (its default allowed methods). A POST or PATCH fails instead, as in requests.
import type { Connection } from "./connection.ts";
import { ConnectionFailure, type HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import type { Prepared } from "./request.ts";
import type { Call } from "./call.ts";

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

/** The outcome after a failed send: aborts and closes propagate; a stale idempotent send is retried once. */
export async function retryStale(
  failure: unknown,
  hop: Prepared,
  wire: Uint8Array,
  call: Call,
  open: () => Connection,
): Promise<RawResponse | HttpError> {
  if (!(failure instanceof ConnectionFailure)) throw failure; // aborted or closed: not a result
  if (!failure.retryable || !IDEMPOTENT.has(hop.method)) return failure.error;
  try {
    return await new Promise<RawResponse>((responded, failed) =>
      open().send(wire, hop.noResponseBody, call.deadline, call.timeoutMs, { responded, failed }),
    );
  } catch (second) {
    if (!(second instanceof ConnectionFailure)) throw second;
    return second.error;
  }
}
