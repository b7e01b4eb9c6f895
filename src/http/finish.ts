// The last step, outside all the others: the call's answer made into the HttpResponse the task
// awaits, recorded by Locust's rule or left to the task (catchResponse, settled by the next call).
import { answerLater } from "./answers.ts";
import type { Call, Handler } from "./call.ts";
import { abortError, type HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import { HttpResponse } from "./response.ts";

export class Finish implements Handler {
  onResponse(call: Call, response: RawResponse): void {
    if (call.client.stopped) call.reject(abortError(call.client.signal?.reason));
    else answerLater(call.resolve, record(call, response as HttpResponse));
  }

  onFailure(call: Call, error: HttpError): void {
    if (call.client.stopped) call.reject(abortError(call.client.signal?.reason));
    else answerLater(call.resolve, record(call, HttpResponse.without(error)));
  }

  onAbort(call: Call, reason: unknown): void {
    call.reject(reason);
  }
}

/** The call's answer, recorded (or left to the task). A response the parser made is an HttpResponse already (parser.ts, h2/messages.ts): finished in place. */
export function record(call: Call, response: HttpResponse): HttpResponse {
  const client = call.client;
  const elapsed = client.clock.now() - call.start;
  response.finish(call, elapsed);
  if (call.options.catchResponse !== true) response.recordByDefault();
  else if (client.pending === undefined) client.pending = [response];
  else client.pending.push(response);
  return response;
}
