// Users told to stop whose task is still finishing. Locust still counts them until their task ends,
// so the pool's counts include them, and a kill (stop_timeout 0) ends them too.
import type { HttpClient } from "../http/index.ts";
import type { Logger } from "../log.ts";
import type { UserContext } from "../api/definitions.ts";
import type { Activity } from "./activity.ts";
import { closeConnections } from "./context.ts";
import { settleWithin } from "./sleep.ts";
import type { UserStop } from "./stop.ts";

export interface RunningUser {
  readonly id: number;
  readonly className: string;
  readonly activity: Activity;
  readonly stopRequest: UserStop; // the user leaves its wait at once and ends after the task in flight
  /** Killed: ctx.signal, aborted after stop_timeout (at once when it is 0), as Locust kills users. */
  readonly controller: AbortController;
  readonly client: HttpClient;
  /** Absent when the user's state() threw (it never ran). */
  readonly ctx?: UserContext<unknown>;
  readonly done: Promise<void>;
}

/** The user is gone: its HTTP sockets close, and so do the WebSockets its tasks left open and its gRPC channels. */
export function releaseUser(user: RunningUser): void {
  user.client.close();
  if (user.ctx !== undefined) closeConnections(user.ctx);
}

export interface StoppingOptions {
  log: Logger;
  /** After a kill, how long aborted tasks and onStop get before the user is abandoned. */
  killGraceMs: number;
  /** Called as each user has ended (or was abandoned). */
  onEnded: () => void;
}

export class StoppingUsers {
  private readonly users = new Set<RunningUser>();
  private readonly perClass = new Map<string, number>();
  private readonly ending = new Set<Promise<void>>();

  constructor(private readonly opts: StoppingOptions) {}

  /** Stops each user; each promise resolves once that user has ended or was abandoned. */
  stop(users: RunningUser[], stopTimeoutSeconds: number): Promise<void>[] {
    return users.map((user) => {
      user.stopRequest.abort();
      this.users.add(user);
      this.perClass.set(user.className, (this.perClass.get(user.className) ?? 0) + 1);
      const ended = this.finish(user, stopTimeoutSeconds).then(() => {
        const left = (this.perClass.get(user.className) ?? 1) - 1;
        if (left > 0) this.perClass.set(user.className, left);
        else this.perClass.delete(user.className);
        this.users.delete(user);
        this.ending.delete(ended);
        this.opts.onEnded();
      });
      this.ending.add(ended);
      return ended;
    });
  }

  /** Kills every user still finishing a graceful stop (a quit, a lost master). */
  kill(): void {
    for (const user of this.users) user.controller.abort();
  }

  /** Resolves once every user stopped so far has ended. */
  async ended(): Promise<void> {
    await Promise.all([...this.ending]);
  }

  /** The users still finishing. */
  list(): Iterable<RunningUser> {
    return this.users;
  }

  /** How many users of each class are still finishing. */
  countsByClass(): ReadonlyMap<string, number> {
    return this.perClass;
  }

  // Locust lets the task in flight finish within stop_timeout, then kills the user; a killed
  // user's aborted task and its onStop get killGraceMs before it is abandoned.
  private async finish(user: RunningUser, stopTimeoutSeconds: number): Promise<void> {
    const inTime = stopTimeoutSeconds > 0 && (await settleWithin(user.done, stopTimeoutSeconds * 1000));
    if (!inTime) {
      user.controller.abort();
      const grace = this.opts.killGraceMs;
      if (!(await settleWithin(user.done, grace)))
        this.opts.log.warn(
          `user ${user.id} (${user.className}) did not end within ${stopTimeoutSeconds}s stop_timeout + ${grace / 1000}s after being killed; it was abandoned (does a task ignore ctx.signal?)`,
        );
    }
    releaseUser(user);
  }
}
