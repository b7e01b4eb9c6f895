// The worker's side of locust-plugins' Distributor (locust_plugins/distributor.py, 5.0.3): an
// iterator that lives on the master, each item handed to exactly one user of all the workers,
// Python workers included. Its own messages: "_NAME_request" {gid, client_id} to the master,
// "_NAME_response" {item, gid} back to the worker that asked.
import { StopUser } from "../api/control.ts";
import { listenForAnswers } from "./registry.ts";
import { askMaster, hasMaster } from "./requests.ts";

export interface DistributorOptions<T> {
  /**
   * How long `next()` waits for the master's answer before it throws (the task fails, the user
   * goes on). Default 60 s; `Infinity` waits as long as the user lives, as locust-plugins does.
   */
  readonly timeoutMs?: number;
  /** Items for a run without a master (`loadworker run`, `--run-tasks`), as Distributor uses its iterator when there is no runner. */
  readonly local?: Iterable<T>;
}

export interface Distributor<T> {
  readonly name: string;
  /**
   * The master's next item. When the master's iterator has ended, the master answers `None`
   * (see docs/TEST-DATA.md) and this throws `StopUser`: the user stops cleanly, as a user whose
   * data ran out should. Call it from a task or `onStart`.
   */
  next(): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const byName = new Map<string, Distributor<unknown>>();

/** A client of the master's `Distributor(environment, iterator, name)`; one per name per process. */
export function distributor<T>(name = "distributor", opts: DistributorOptions<T> = {}): Distributor<T> {
  const known = byName.get(name);
  if (known) return known as Distributor<T>;
  const what = `distributor "${name}"`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const local = opts.local?.[Symbol.iterator]();
  const exhausted = () => new StopUser(`${what} has no items left`);
  const made: Distributor<T> = {
    name,
    async next() {
      if (!hasMaster(what)) {
        if (local === undefined)
          throw new Error(`${what}: there is no master here; give distributor("${name}", { local: items }) for runs without one`);
        const step = local.next();
        if (step.done) throw exhausted();
        return step.value;
      }
      const answer = await askMaster(`_${name}_request`, {}, { what, timeoutMs });
      if (answer.item === null || answer.item === undefined) throw exhausted();
      return answer.item as T;
    },
  };
  listenForAnswers(`_${name}_response`);
  byName.set(name, made as Distributor<unknown>);
  return made;
}
