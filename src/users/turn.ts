// One yield budget per event-loop turn, shared by all users of a pool. A task without I/O (one
// that only records, or throws at once) only ever awaits microtasks, so a loop of them never
// reaches the event loop and starves heartbeats and the socket. The budget counts from the start
// of the turn, not from each user's resume: counted per resume, N users each spent it in one turn
// (1,000 record-only users made a 4 s turn and the master marked the worker missing). Every user
// that finds it spent awaits the same gate, one setImmediate for all of them.
import { yieldToEventLoop } from "./sleep.ts";

/** How long users may run without letting the event loop have a turn. */
export const TURN_BUDGET_MS = 4;

export class TurnBudget {
  private turnStart: number;
  private gate: Promise<void> | undefined;

  constructor(
    private readonly now: () => number,
    private readonly budgetMs = TURN_BUDGET_MS,
  ) {
    this.turnStart = now();
  }

  /**
   * `undefined` while this turn has budget left at `now` (monotonic ms, by default the budget's
   * own clock); once it is spent, the promise of the next turn, the same one for every user that
   * asks before it resolves.
   */
  spent(now = this.now()): Promise<void> | undefined {
    if (this.gate) return this.gate;
    if (now - this.turnStart < this.budgetMs) return undefined;
    this.gate = yieldToEventLoop().then(() => {
      this.gate = undefined;
      this.turnStart = this.now();
    });
    return this.gate;
  }
}
