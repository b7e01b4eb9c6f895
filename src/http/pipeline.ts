// The steps of a call, composed once for every client (they read a client's state from the call):
// decode outermost (only the final response), then redirects, cookies on each hop, the stale-socket
// retry innermost, around the dispatch to a pooled connection; finish.ts records.
import { Connect } from "./connect.ts";
import { CookieStep } from "./cookie-step.ts";
import { Decompress } from "./decode.ts";
import { compose, type Dispatcher } from "./dispatch.ts";
import { Finish } from "./finish.ts";
import { FollowRedirects } from "./redirect.ts";
import { RetryStale } from "./retry.ts";

/** With `decompress` (the default): gzip/deflate bodies decoded before the clock stops. */
export const DECODING: Dispatcher = compose(
  new Finish(),
  [new Decompress(), new FollowRedirects(), new CookieStep(), new RetryStale()],
  new Connect(),
);

/** Bodies as received. */
export const RAW: Dispatcher = compose(new Finish(), [new FollowRedirects(), new CookieStep(), new RetryStale()], new Connect());
