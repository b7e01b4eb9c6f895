// The last step of a sampled call (pipeline.ts's traced pipelines): Finish's answer, and the
// tracer told that the span ended, with the response or with why there is none. The calls of
// an untraced client never pass here, so their path has no check for a span.
import { answerLater } from "./answers.ts";
import type { Call, Handler } from "./call.ts";
import { abortError, type HttpError } from "./errors.ts";
import { record } from "./finish.ts";
import type { RawResponse } from "./raw-response.ts";
import { HttpResponse } from "./response.ts";
import type { TracedCall } from "./traced-call.ts";

export class TracedFinish implements Handler {
  onResponse(call: Call, response: RawResponse): void {
    if (call.client.stopped) return this.onAbort(call, abortError(call.client.signal?.reason));
    const answer = record(call, response as HttpResponse);
    (call as TracedCall).endSpan(answer);
    answerLater(call.resolve, answer);
  }

  onFailure(call: Call, error: HttpError): void {
    if (call.client.stopped) return this.onAbort(call, abortError(call.client.signal?.reason));
    const answer = record(call, HttpResponse.without(error));
    (call as TracedCall).endSpan(answer);
    answerLater(call.resolve, answer);
  }

  onAbort(call: Call, reason: unknown): void {
    (call as TracedCall).failSpan(reason);
    call.reject(reason);
  }
}
