// The default command: join a Locust master as a worker, or run tasks once with --run-tasks.
import { type ArgsDef, defineCommand } from "citty";
import type { LoadPlan } from "../project/plan-source.ts";
import { systemClock } from "../clock.ts";
import { releaseFeeders } from "../data/registry.ts";
import { LoadworkerError } from "../errors.ts";
import { runTasksOnce } from "../users/run-once.ts";
import { dealerLink } from "../worker/link.ts";
import { LogBuffer, capturingLogger } from "../worker/logs.ts";
import { parseTiming } from "../worker/timing.ts";
import { startWorker } from "../worker/worker.ts";
import { hostInput, parseHostUrl, parseMasterHost, parsePort, processesArgs } from "./args.ts";
import { controlArgs, parseMetricsPort, parseRateLimit, startControls } from "./controls-args.ts";
import { guardUnhandledErrors } from "./guard.ts";
import { LOG_LEVELS, createLogger, parseLogLevel } from "./logger.ts";
import { printRecord, printSummary } from "./output.ts";
import { forkProcesses, processSlot } from "../processes/fork.ts";
import { otelArg, telemetryFor } from "./otel-arg.ts";
import { tasksArg } from "./tasks-arg.ts";

export const workerArgs = {
  "master-host": { type: "string", default: "127.0.0.1", description: "Locust master host" },
  "master-port": { type: "string", default: "5557", description: "Locust master port (--master-bind-port)" },
  host: {
    type: "string",
    description:
      "Target host for relative URLs when the master sends none, and for --run-tasks (or env LOADWORKER_HOST, which keeps a password out of ps; the flag wins)",
  },
  loglevel: { type: "string", default: "info", description: `Log level: ${LOG_LEVELS.join(", ")}` },
  "run-tasks": { type: "string", description: "Run the named tasks once without a master (comma-separated) and print what they recorded" },
  ...tasksArg,
  ...controlArgs,
  ...processesArgs,
  ...otelArg,
} satisfies ArgsDef;

export function workerCommand(plan: LoadPlan) {
  return defineCommand({
    meta: { name: "worker", description: "Join a Locust master as a worker (the default command)" },
    args: workerArgs,
    run: async ({ args, rawArgs }): Promise<number> => {
      const timing = timingFromEnv(); // a bad value stops the worker before it connects
      const level = parseLogLevel(args.loglevel);
      const logBuffer = new LogBuffer();
      const slot = processSlot(); // a child of --processes: its lines say which one
      const printer = await createLogger(level, process.stderr, slot && `process ${slot.index}/${slot.count}`);
      const telemetry = telemetryFor(args.otel, args.tasks, printer, false);
      // What the console shows also goes to the master's Logs tab (≥ 2.29), and to the log export with --otel.
      const log = telemetry.bridge(capturingLogger(printer, logBuffer, level));
      const hostIn = hostInput(args.host, process.env);
      const host = parseHostUrl(hostIn.value, hostIn.name);
      const masterHost = parseMasterHost(args["master-host"]);
      const port = parsePort(args["master-port"], "--master-port");
      const rateLimit = parseRateLimit(args["max-rps"], args["request-increase-rate"]);
      const metricsPort = parseMetricsPort(args["metrics-port"]);
      const validated = await plan(args.tasks, (message) => log.warn(message));
      if (args["run-tasks"] !== undefined) {
        const names = args["run-tasks"]
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean);
        if (names.length === 0)
          throw new LoadworkerError("E_USAGE", "--run-tasks needs task names, e.g. --run-tasks 压测MockApi,压测HttpBin");
        guardUnhandledErrors(log);
        const runs = await runTasksOnce(validated, names, { host, log, clock: systemClock, onRecord: printRecord });
        return printSummary(runs); // --processes is ignored: the tasks run once, here
      }
      // Before the signal handlers: a parent of --processes only forwards signals to its children.
      const parent = forkProcesses(args.processes, rawArgs, log, () => {
        log.warn("the parent process (--processes) is gone: sending final stats and quitting");
        onSignal("SIGTERM");
      });
      if (parent) {
        releaseFeeders(); // checked above; the children read them
        return parent;
      }
      guardUnhandledErrors(log);
      const controls = await startControls(rateLimit, metricsPort, args["metrics-host"], log, slot);
      // Handlers first: a signal that lands while the worker starts must still end it cleanly.
      let running: ReturnType<typeof startWorker> | undefined;
      let signals = 0;
      const onSignal = (signal: string) => {
        if (++signals > 1 || !running) {
          if (signals > 1) log.warn(`${signal} again: exiting now`);
          process.exit(running ? 1 : 0);
        }
        running.shutdown();
      };
      process.on("SIGINT", () => onSignal("SIGINT"));
      process.on("SIGTERM", () => onSignal("SIGTERM"));
      if (telemetry.flagged) await telemetry.start(); // else when a master's parsed_options ask for it
      const link = dealerLink({ host: masterHost, port }, log);
      running = startWorker({
        plan: validated,
        link,
        host,
        log,
        timing,
        limiter: controls.limiter,
        logBuffer,
        metrics: controls.metrics,
        telemetry,
      });
      const code = await running.done;
      await telemetry.shutdown();
      await controls.close();
      return code;
    },
  });
}

/** Hidden (tests, diagnosis): LOADWORKER_TIMING overrides Locust's intervals; see parseTiming. */
function timingFromEnv() {
  try {
    return parseTiming(process.env.LOADWORKER_TIMING);
  } catch (error) {
    throw new LoadworkerError("E_USAGE", (error as Error).message);
  }
}
