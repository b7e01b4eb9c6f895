// A request that waits for its answer over Locust custom messages, matched by a "gid" as
// locust-plugins' Distributor matches them (it uses the greenlet's id; a counter is enough here:
// the master answers to our client_id, so a gid needs to be unique only within this process).
import { type TaskScope, currentScope } from "../users/current.ts";

export interface RequestOptions {
  /** Who is asking, for messages: `distributor "accounts"`. */
  readonly what: string;
  /** How long to wait for the master; Infinity waits as long as the user lives. */
  readonly timeoutMs: number;
}

type Answer = Readonly<Record<string, unknown>>;

interface Waiter {
  resolve(answer: Answer): void;
}

let lastGid = 0;
const waiting = new Map<number, Waiter>();

/** The onMessage handler of every response type: settles the request its gid names. */
export function receiveAnswer(data: unknown): void {
  const gid = typeof data === "object" && data !== null ? (data as Answer).gid : undefined;
  const waiter = typeof gid === "number" ? waiting.get(gid) : undefined;
  if (waiter === undefined) return; // an answer to a request whose user stopped waiting
  waiting.delete(gid as number);
  waiter.resolve(data as Answer);
}

/** The running task's scope, or an error saying where `what` may be called from. */
function scopeOf(what: string): TaskScope {
  try {
    return currentScope("next");
  } catch {
    throw new Error(`${what}.next() was called outside a running task; call it from a task's fn or onStart`);
  }
}

/** Whether this code runs in a worker connected to a master (else there is nobody to ask). */
export function hasMaster(what: string): boolean {
  return scopeOf(what).nodeId !== undefined;
}

/**
 * Sends `type` with `{ gid, client_id, ...payload }` to the master and resolves with its answer.
 * Rejects when the user is killed (its signal) or the master does not answer in time.
 */
export function askMaster(type: string, payload: Answer, opts: RequestOptions): Promise<Answer> {
  const scope = scopeOf(opts.what);
  const { nodeId, signal } = scope;
  if (nodeId === undefined) return Promise.reject(new Error(`${opts.what}: no master to ask (this process runs without one)`));
  signal?.throwIfAborted();
  const gid = ++lastGid;
  return new Promise<Answer>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      waiting.delete(gid);
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      reject(signal?.reason);
    };
    waiting.set(gid, {
      resolve: (answer) => {
        done();
        resolve(answer);
      },
    });
    signal?.addEventListener("abort", onAbort, { once: true });
    if (Number.isFinite(opts.timeoutMs)) {
      timer = setTimeout(() => {
        done();
        reject(new Error(`${opts.what}: the master did not answer "${type}" within ${opts.timeoutMs / 1000} s`));
      }, opts.timeoutMs);
    }
    scope.sendMessage(type, { ...payload, gid, client_id: nodeId });
  });
}

/** Requests still waiting (tests). */
export function waitingCount(): number {
  return waiting.size;
}
