// A call's answer reaches its task after the socket events of this turn, not inside its own, as
// wrk reads every ready response before it writes the next requests. At 1,000 users one turn after
// a pause reads hundreds of responses (one epoll wait); a task resumed inside its response's event
// wrote its next request (a send of several µs) before the next response was read, so the last
// response of such a turn was stamped after hundreds of writes. Now every response of the turn is
// read and recorded first (finish.ts stamps it as it is read), then the tasks resume together in
// one setImmediate. Measured (bench/NOTES.md, 7 Dec 2026): p99 × wrk 1.06 and 1.13 against 1.18 and
// 1.22 before (1,000 users, a 20 ms server); 2–3% fewer requests per CPU-second in process (the
// immediate, mostly: most turns hold one or two answers), not seen in the whole worker's rounds.
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
  const due = resolves;
  const given = answers;
  resolves = spareResolves;
  answers = spareAnswers;
  for (let i = 0; i < due.length; i++) (due[i] as Resolve)(given[i] as HttpResponse);
  due.length = 0;
  given.length = 0;
  spareResolves = due;
  spareAnswers = given;
}
