// A call's answer reaches its task after the socket events of this turn, not inside its own. At
// 1,000 users one turn reads hundreds of responses (one epoll wait), and a task resumed inside its
// response's event wrote its next request before the next response was read: the last response
// of a turn was read, and its latency stamped, after hundreds of writes. Now every response of the
// turn is read and recorded first (record() stamps it as it is read), then the tasks resume
// together in one setImmediate and write their next requests: +3–5% requests per CPU-second at
// 1,000 connections (bench/NOTES.md), and latencies taken nearer to the bytes' arrival.
import { setImmediate } from "node:timers";
import type { HttpResponse } from "./response.ts";

type Resolve = (response: HttpResponse) => void;

let resolves: Resolve[] = [];
let answers: HttpResponse[] = [];
let spareResolves: Resolve[] = [];
let spareAnswers: HttpResponse[] = [];
let scheduled = false;

/** Hands `response` to `resolve` once this turn's socket events are done. */
export function answerLater(resolve: Resolve, response: HttpResponse): void {
  resolves.push(resolve);
  answers.push(response);
  if (!scheduled) {
    scheduled = true;
    setImmediate(answerAll);
  }
}

function answerAll(): void {
  scheduled = false;
  // Swapped first: a task resumed here may make a call that is answered before this loop ends.
  const now = resolves;
  const with_ = answers;
  resolves = spareResolves;
  answers = spareAnswers;
  for (let i = 0; i < now.length; i++) (now[i] as Resolve)(with_[i] as HttpResponse);
  now.length = 0;
  with_.length = 0;
  spareResolves = now;
  spareAnswers = with_;
}
