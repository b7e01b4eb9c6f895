// The retry step: a keep-alive socket the server closed while it sat idle fails before any
// response byte; urllib3 then sends again on a new socket, but only a method that is safe to
// repeat (its default allowed methods). A POST or PATCH fails instead, as in requests.
// A fresh socket has served nothing, so its own failure is never retryable: one retry at most.
import type { Call } from "./call.ts";
import { Step } from "./dispatch.ts";
import type { HttpError } from "./errors.ts";

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);

export class RetryStale extends Step {
  override onFailure(call: Call, error: HttpError, retryable: boolean): void {
    if (retryable && IDEMPOTENT.has(call.hop.method)) {
      call.fresh = true;
      this.inner.dispatch(call);
    } else this.outer.onFailure(call, error, false);
  }
}
