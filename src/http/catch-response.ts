// Responses of catchResponse calls that the task has not yet marked success() or failure().
// Like Locust's `with ... catch_response=True` block ending, the next request (or close) records
// them by the default rule; so does a stop (interrupt), whether the user was waiting after the
// task that made them or is killed in it.
// The list is the client's own array (one less object to reach on every call).
import type { HttpResponse } from "./response.ts";

/** Records every pending response by the default rule (status >= 400 or a network error fails) and empties the list. */
export function settle(pending: HttpResponse[]): void {
  // Mostly one response (a task's last call): splice(0) made an array for it on every call (~35 ns).
  if (pending.length === 1) {
    const only = pending[0] as HttpResponse;
    pending.length = 0;
    only.recordByDefault();
    return;
  }
  for (const response of pending.splice(0)) response.recordByDefault();
}
