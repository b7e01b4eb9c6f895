// Performs what the lifecycle machine decided: one case per effect, against the parts the
// shell owns. Users starting and stopping take time; they report back through `dispatch`.
import type { Logger } from "../log.ts";
import type { WorkerMessage } from "../protocol/index.ts";
import type { Stats } from "../stats/index.ts";
import type { UserPool } from "../users/pool.ts";
import type { WorkerLink } from "./link.ts";
import type { Effect, MachineEvent } from "./machine.ts";
import type { Usage } from "./usage.ts";

export interface EffectTarget {
  send(message: WorkerMessage): void;
  readonly link: WorkerLink;
  readonly pool: UserPool;
  readonly stats: Stats;
  readonly usage: () => Usage;
  readonly log: Logger;
  /** Target host when the master sends none. */
  readonly defaultHost: string | undefined;
  workerIndex(): number;
  dispatch(event: MachineEvent): void;
  exit(code: number): void;
}

export function performEffect(effect: Effect, t: EffectTarget): void {
  switch (effect.type) {
    case "send":
      return t.send({ type: effect.message });
    case "heartbeat": {
      const { cpuPercent, memoryBytes } = t.usage();
      return t.send({ type: "heartbeat", state: effect.state, cpuPercent, memoryBytes });
    }
    case "spawning_complete":
      return t.send({ type: "spawning_complete", userClassesCount: t.pool.counts(), userCount: t.pool.userCount });
    case "stats": {
      const counts = t.pool.counts();
      if (effect.final) for (const name of Object.keys(counts)) counts[name] = 0;
      return t.send({ type: "stats", report: t.stats.report(counts, effect.final ? 0 : t.pool.userCount) });
    }
    case "reset_stats":
      return t.stats.clear();
    case "apply_spawn":
      t.pool.env = { host: effect.host ?? t.defaultHost, workerIndex: t.workerIndex(), parsedOptions: effect.parsedOptions };
      // Starting users is synchronous; users this spawn stops may take up to stop_timeout.
      void t.pool.setTargets(effect.targets, effect.stopTimeout).then(() => {
        t.log.info(`users now: ${JSON.stringify(t.pool.counts())}`);
        t.dispatch({ type: "spawned", seq: effect.seq });
      });
      return;
    case "stop_users":
      t.log.info("the master asked to stop; stopping users");
      void t.pool.stopAll(effect.stopTimeout).then(() => t.dispatch({ type: "stopped", seq: effect.seq }));
      return;
    case "kill_users":
      void t.pool.stopAll(0);
      return;
    case "reconnect":
      return t.link.reconnect(effect.reason);
    case "exit":
      return t.exit(effect.code);
    case "log":
      return t.log[effect.level](effect.message);
  }
}
