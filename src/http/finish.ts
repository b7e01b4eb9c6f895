// The last step, outside all the others: the call's answer made into the HttpResponse the task
// awaits, recorded by Locust's rule or left to the task (catchResponse, settled by the next call).
import type { Clock } from "../clock.ts";
import type { Recorder } from "../stats/recorder.ts";
import type { Call, Handler } from "./call.ts";
import { settle } from "./catch-response.ts";
import { abortError, type HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";
import { HttpResponse } from "./response.ts";

export class Finish implements Handler {
  /** The user was stopped: a response that completes now still belongs to a stopped user. */
  stopped = false;
  /** catchResponse calls not yet recorded (made on first use). */
  private pending: HttpResponse[] | undefined;

  constructor(
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    private readonly maxBodyBytes: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  onResponse(call: Call, response: RawResponse): void {
    if (this.stopped) call.reject(abortError(this.signal?.reason));
    else call.resolve(this.record(call, response, undefined));
  }

  onFailure(call: Call, error: HttpError): void {
    if (this.stopped) call.reject(abortError(this.signal?.reason));
    else call.resolve(this.record(call, undefined, error));
  }

  onAbort(call: Call, reason: unknown): void {
    call.reject(reason);
  }

  /** Records the catchResponse calls left unmarked by the default rule (Locust's with-block end). */
  settle(): void {
    if (this.pending !== undefined && this.pending.length > 0) settle(this.pending);
  }

  private record(call: Call, raw: RawResponse | undefined, error: HttpError | undefined): HttpResponse {
    const elapsed = this.clock.now() - call.start;
    const name = call.options.name ?? call.first.target;
    const response = new HttpResponse(raw, error, call.hop.href, elapsed, call.method, name, this.recorder, this.maxBodyBytes, call.task);
    if (call.options.catchResponse !== true) response.recordByDefault();
    else if (this.pending === undefined) this.pending = [response];
    else this.pending.push(response);
    return response;
  }
}
