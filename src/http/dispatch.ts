// The shape of a call's pipeline, after undici's interceptors: one dispatch writes a hop on a
// pooled connection (connect.ts), and each step (decode, redirect, cookies, retry) wraps the
// dispatch inside it: it may change the call on its way down and hears the outcome first on its
// way up, before the handler outside it. The steps never call back into the client; the
// outermost Handler (call.ts; finish.ts) records the response and answers the task.
// undici makes a handler per request and step; here a client's steps are linked once, when it is
// made (its handler never changes): at 1,000 users every object on the call path is another
// memory load per request, and the first cut with a handler per call and step measured 0.93.
import type { Call, Handler } from "./call.ts";
import type { HttpError } from "./errors.ts";
import type { RawResponse } from "./raw-response.ts";

/** Sends a call's hop on; its outcome goes to the handler outside. */
export interface Dispatcher {
  dispatch(call: Call): void;
}

/** The innermost dispatch, which is told the handler its calls answer to. */
export interface Endpoint extends Dispatcher {
  handler: Handler;
}

/** A step around the dispatch inside it; by default it passes everything on (undici's DecoratorHandler). */
export abstract class Step implements Dispatcher, Handler {
  protected inner: Dispatcher = UNLINKED;
  protected outer: Handler = UNLINKED;

  /** @internal Set once by compose(). */
  link(inner: Dispatcher, outer: Handler): void {
    this.inner = inner;
    this.outer = outer;
  }

  dispatch(call: Call): void {
    this.inner.dispatch(call);
  }
  onResponse(call: Call, response: RawResponse): void {
    this.outer.onResponse(call, response);
  }
  onFailure(call: Call, error: HttpError, retryable: boolean): void {
    this.outer.onFailure(call, error, retryable);
  }
  onAbort(call: Call, reason: unknown): void {
    this.outer.onAbort(call, reason);
  }
}

/**
 * The endpoint wrapped in the steps (the first listed is the outermost) for `handler`: what a call
 * is dispatched to. On the way down a call skips the steps that only pass it on (at 1,000 users
 * each call through a step is another object to load), on the way up it meets them all.
 */
export function compose(handler: Handler, steps: readonly Step[], endpoint: Endpoint): Dispatcher {
  const downFrom = (i: number): Dispatcher => {
    for (let j = i; j < steps.length; j++) if (!passesDown(steps[j] as Step)) return steps[j] as Step;
    return endpoint;
  };
  let outer = handler;
  for (const [i, step] of steps.entries()) {
    step.link(downFrom(i + 1), outer);
    outer = step;
  }
  endpoint.handler = outer;
  return downFrom(0);
}

function passesDown(step: Step): boolean {
  return step.dispatch === Step.prototype.dispatch;
}

const fail = (): never => {
  throw new Error("a pipeline step was used before compose() linked it");
};
const UNLINKED: Dispatcher & Handler = { dispatch: fail, onResponse: fail, onFailure: fail, onAbort: fail };
