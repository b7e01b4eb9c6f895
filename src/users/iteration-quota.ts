// `run --iterations N` (k6's shared-iterations, locust-plugins' -i): N task runs in all, shared by
// the users of a process; a user that finds none left idles until the run ends (still counted, as
// Locust counts its users until the stop), and once the last one taken has ended, `done` resolves
// and the run ends (users still waiting do not hold it up).

export class IterationQuota {
  /** Resolves once every task run was taken and has ended. */
  readonly done: Promise<void>;
  private left: number;
  private running = 0;
  private finish: () => void = () => {};

  constructor(total: number) {
    this.left = total;
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
    if (total === 0) this.finish();
  }

  /** Task runs not yet taken. */
  get remaining(): number {
    return this.left;
  }

  /** Before a task run: true when one is left (it is now taken), false once none is: the user idles. */
  take(): boolean {
    if (this.left === 0) return false;
    this.left--;
    this.running++;
    return true;
  }

  /** A task run that take() allowed has ended, however it ended. */
  ended(): void {
    this.running--;
    if (this.left === 0 && this.running === 0) this.finish();
  }
}
