// Where a unique feeder's row numbers come from, so that no row goes to two users anywhere:
// - with a master: blocks of BLOCK row numbers, from one counter per file that the master keeps
//   (master-feeders.ts is its Python, which `loadworker locustfile` puts in master.py), so every
//   worker process of the test, however many and whenever they join, draws from one sequence;
// - without one (`loadworker run`): process k of N (`--processes N`) takes rows k, k+N, k+2N, …
import { askMaster } from "./requests.ts";

export const BLOCK = 100;
export const REQUEST_TYPE = "_loadworker_feeder_request";
export const RESPONSE_TYPE = "_loadworker_feeder_response";
const TIMEOUT_MS = 10_000;

/** This process's share of a run without a master: set by `run --processes` in each child. */
let share = { index: 0, count: 1 };

export function setProcessShare(index: number, count: number): void {
  share = { index, count };
}

/** The next row numbers of one file for this process; undefined once there are none left. */
export class UniqueRows {
  private taken = 0; // local: how many of this process's rows were handed out
  private next = 0; // master: the current block is [next, end)
  private end = 0;
  private refill: Promise<void> | undefined;
  private exhausted = false;

  constructor(
    private readonly name: string,
    private readonly size: () => number,
  ) {}

  /** Without a master: this process's next row number, or undefined when its share is used up. */
  local(): number | undefined {
    const i = share.index + share.count * this.taken;
    if (i >= this.size()) return undefined;
    this.taken++;
    return i;
  }

  /** With a master: the next row number from this process's block, asking for a block when it is empty. */
  async fromMaster(): Promise<number | undefined> {
    while (this.next >= this.end) {
      if (this.exhausted) return undefined;
      this.refill ??= this.askForBlock().finally(() => (this.refill = undefined));
      await this.refill;
    }
    return this.next++;
  }

  /** A new test starts from the first row (the master's counter restarts at its test_start too). */
  reset(): void {
    this.taken = 0;
    this.next = this.end = 0;
    this.exhausted = false;
  }

  private async askForBlock(): Promise<void> {
    const what = `feeder("${this.name}")`;
    const answer = await askMaster(REQUEST_TYPE, { feeder: this.name, count: BLOCK }, { what, timeoutMs: TIMEOUT_MS }).catch(
      (error: unknown) => {
        throw new Error(
          `${(error as Error).message}. A unique feeder needs the master to run the master.py that \`loadworker locustfile\` writes (it hands out the rows)`,
        );
      },
    );
    const start = Number(answer.start);
    if (!Number.isInteger(start) || start < 0) throw new Error(`${what}: the master answered a block at ${String(answer.start)}`);
    this.next = start;
    this.end = Math.min(start + BLOCK, this.size());
    if (start + BLOCK >= this.size()) this.exhausted = true;
  }
}
