// Responses of catchResponse calls that the task has not yet marked success() or failure().
// Like Locust's `with ... catch_response=True` block ending, the next request (or close) records
// them by the default rule; a stopped user's are dropped, as Locust drops them on GreenletExit.
import type { HttpResponse } from "./response.ts";

export class CatchResponses {
  private pending: HttpResponse[] = [];

  add(response: HttpResponse): void {
    this.pending.push(response);
  }

  /** Records every pending response by the default rule (status >= 400 or a network error fails). */
  settle(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const response of pending) response.recordByDefault();
  }

  /** Drops them unrecorded. */
  discard(): void {
    for (const response of this.pending) response.discard();
    this.pending = [];
  }
}
