// Performs what the lifecycle machine decided: one case per effect, against the parts the
// shell owns. Users starting and stopping take time; they report back through `dispatch`.
import { iterationLimit } from "./iteration-limit.ts";
import type { Logger } from "../log.ts";
import type { MetricsCollector } from "../metrics/collector.ts";
import type { Telemetry } from "../otel/telemetry.ts";
import type { WorkerMessage } from "../protocol/index.ts";
import type { Stats } from "../stats/index.ts";
import { tagFilterFrom } from "../users/classes.ts";
import type { UserPool } from "../users/pool.ts";
import { targetHost } from "../users/target-host.ts";
import type { WorkerControls } from "./controls.ts";
import type { Effect } from "./effect.ts";
import type { WorkerLink } from "./link.ts";
import type { MachineEvent } from "./machine.ts";
import type { Usage } from "./usage.ts";

export interface EffectTarget {
  send(message: WorkerMessage): void;
  readonly link: WorkerLink;
  readonly pool: UserPool;
  readonly stats: Stats;
  /** Says what the exception cap held back, when due: with each stats report. */
  readonly exceptions: { flush(): void };
  readonly usage: () => Usage;
  readonly log: Logger;
  /** Target host when the master sends none. */
  readonly defaultHost: string | undefined;
  workerIndex(): number;
  dispatch(event: MachineEvent): void;
  exit(code: number): void;
  readonly controls: WorkerControls;
  /** Only with --metrics-port. */
  readonly metrics: MetricsCollector | undefined;
  /** Started by a test whose master runs with --otel (parsed_options), if not by --otel here. */
  readonly telemetry: Telemetry | undefined;
  /** onTestStart hooks still running: the test's spawns wait for them. */
  beforeSpawn: Promise<void> | undefined;
  /** Whether this spawn is still the one to apply (a stop or a newer spawn may have come meanwhile). */
  isCurrentSpawn(seq: number): boolean;
  /** The last stop or kill of users, for onTestStop to wait on. */
  usersGone: Promise<void>;
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
      t.exceptions.flush();
      const counts = t.pool.counts();
      if (effect.final) for (const name of Object.keys(counts)) counts[name] = 0;
      const report = t.stats.report(counts, effect.final ? 0 : t.pool.userCount);
      t.metrics?.report(report);
      return t.send({ type: "stats", report });
    }
    case "reset_stats":
      return t.stats.clear();
    case "test_start": {
      // Locust's worker filters tasks by the master's tags when a test starts.
      t.pool.classes.setTagFilter(tagFilterFrom(effect.parsedOptions));
      // locust-plugins' -i: this test's task runs, then the worker quits (not a later test's quota).
      const quota = iterationLimit(effect.parsedOptions, (reason) => t.pool.quota === quota && t.dispatch({ type: "shutdown", reason }));
      t.pool.quota = quota;
      const testHooks = t.controls.testStart({
        host: targetHost({ master: effect.host, flag: t.defaultHost }),
        parsedOptions: effect.parsedOptions,
      });
      // The SDK loads before the first user starts, so the telemetry counts every request.
      const telemetry = t.telemetry?.testStart(effect.parsedOptions);
      const hooks = telemetry === undefined ? testHooks : Promise.all([telemetry, testHooks]).then(() => {});
      t.beforeSpawn = hooks;
      void hooks?.then(() => {
        if (t.beforeSpawn === hooks) t.beforeSpawn = undefined;
      });
      return;
    }
    case "apply_spawn":
      t.pool.env = {
        masterHost: effect.host,
        host: t.defaultHost,
        workerIndex: t.workerIndex(),
        parsedOptions: effect.parsedOptions,
      };
      if (t.beforeSpawn) {
        void t.beforeSpawn.then(() => t.isCurrentSpawn(effect.seq) && applySpawn(effect, t));
        return;
      }
      return applySpawn(effect, t);
    case "stop_users":
      t.log.info("the master asked to stop; stopping users");
      t.usersGone = t.pool.stopAll(effect.stopTimeout);
      void t.usersGone.then(() => t.dispatch({ type: "stopped", seq: effect.seq }));
      return;
    case "kill_users":
      t.usersGone = t.pool.stopAll(effect.graceSeconds ?? 0);
      return;
    case "test_stop": {
      const { masterHost, host, parsedOptions } = t.pool.env;
      void t.controls.testStop({ host: targetHost({ master: masterHost, flag: host }), parsedOptions }, t.usersGone);
      return;
    }
    case "update_class":
      return t.pool.classes.update(effect.update);
    case "custom_message":
      return t.controls.messages.receive(effect.name, effect.data);
    case "ship_logs":
      return t.controls.shipLogs();
    case "reconnect":
      return t.link.reconnect(effect.reason);
    case "exit":
      return t.exit(effect.code);
    case "log":
      return t.log[effect.level](effect.message);
  }
}

// Starting users is synchronous; users this spawn stops may take up to stop_timeout.
function applySpawn(effect: Extract<Effect, { type: "apply_spawn" }>, t: EffectTarget): void {
  void t.pool.setTargets(effect.targets, effect.stopTimeout).then(() => {
    t.log.info(`users now: ${JSON.stringify(t.pool.counts())}`);
    t.dispatch({ type: "spawned", seq: effect.seq });
  });
}
