// The steps of a call, composed once for every client (they read a client's state from the call):
// decode outermost (only the final response), then redirects, cookies on each hop, the stale-socket
// retry innermost, around the dispatch to a pooled connection; finish.ts records. A sampled call
// (tracing.ts) goes down the same steps to traced-finish.ts, which also ends its span.
import { Connect } from "./connect.ts";
import { CookieStep } from "./cookie-step.ts";
import type { Handler } from "./call.ts";
import { Decompress } from "./decode.ts";
import { compose, type Dispatcher } from "./dispatch.ts";
import { Finish } from "./finish.ts";
import { FollowRedirects } from "./redirect.ts";
import { RetryStale } from "./retry.ts";
import { TracedFinish } from "./traced-finish.ts";

const decoding = (finish: Handler): Dispatcher =>
  compose(finish, [new Decompress(), new FollowRedirects(), new CookieStep(), new RetryStale()], new Connect());
const raw = (finish: Handler): Dispatcher => compose(finish, [new FollowRedirects(), new CookieStep(), new RetryStale()], new Connect());

/** With `decompress` (the default): gzip/deflate bodies decoded before the clock stops. */
export const DECODING: Dispatcher = decoding(new Finish());

/** Bodies as received. */
export const RAW: Dispatcher = raw(new Finish());

/** The same, for sampled calls (TracedCall). */
export const TRACED_DECODING: Dispatcher = decoding(new TracedFinish());
export const TRACED_RAW: Dispatcher = raw(new TracedFinish());
