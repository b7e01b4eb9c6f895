// The loadworker command line: the worker (default), `locustfile`, `demo-target`. citty parses
// and renders usage; dispatch and errors are handled here, at one place, with exit codes.
import { type ArgsDef, type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import pkg from "../../package.json" with { type: "json" };
import { systemClock } from "../clock.ts";
import { LoadworkerError } from "../errors.ts";
import { buildPlan, collectDefinitions } from "../runtime/plan.ts";
import { runTasksOnce } from "../runtime/run-once.ts";
import { startWorker } from "../runtime/worker.ts";
import { parseHostUrl, parsePort, rejectUnknownFlags } from "./args.ts";
import { demoTargetCommand } from "./demo-target.ts";
import { guardUnhandledErrors } from "./guard.ts";
import { renderLocustfile } from "./locustfile.ts";
import { LOG_LEVELS, createLogger, parseLogLevel } from "./logger.ts";
import { printRecord, printSummary } from "./output.ts";

const workerArgs = {
  "master-host": { type: "string", default: "127.0.0.1", description: "Locust master host" },
  "master-port": { type: "string", default: "5557", description: "Locust master port (--master-bind-port)" },
  host: { type: "string", description: "Target host for relative URLs when the master sends none, and for --run-tasks" },
  loglevel: { type: "string", default: "info", description: `Log level: ${LOG_LEVELS.join(", ")}` },
  "run-tasks": { type: "string", description: "Run the named tasks once without a master (comma-separated) and print what they recorded" },
} satisfies ArgsDef;

const locustfileArgs = {
  host: { type: "string", description: "Default host for the master's web UI Host field" },
} satisfies ArgsDef;

export async function runCli(exports: Iterable<unknown>, argv: string[]): Promise<number> {
  const definitions = () => buildPlan(collectDefinitions(exports));
  const worker = defineCommand({
    meta: { name: "loadworker", version: pkg.version, description: "Runs TypeScript load-test tasks as a worker of a Locust master" },
    args: workerArgs,
    run: async ({ args, rawArgs }) => {
      rejectUnknownFlags(rawArgs, workerArgs, "loadworker");
      const log = createLogger(parseLogLevel(args.loglevel));
      const host = parseHostUrl(args.host, "--host");
      const port = parsePort(args["master-port"], "--master-port");
      const plan = definitions();
      if (args["run-tasks"] !== undefined) {
        const names = args["run-tasks"].split(",").map((n) => n.trim()).filter(Boolean);
        if (names.length === 0) throw new LoadworkerError("E_USAGE", "--run-tasks needs task names, e.g. --run-tasks 压测MockApi,压测HttpBin");
        guardUnhandledErrors(log);
        const runs = await runTasksOnce(plan, names, { host, log, clock: systemClock, onRecord: printRecord });
        return printSummary(runs);
      }
      guardUnhandledErrors(log);
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
      running = startWorker({ plan, masterHost: args["master-host"], masterPort: port, host, log });
      return running.done;
    },
  });
  const locustfile = defineCommand({
    meta: { name: "locustfile", description: "Print the master-side master.py for these tasks" },
    args: locustfileArgs,
    run: ({ args }) => {
      process.stdout.write(renderLocustfile(definitions(), parseHostUrl(args.host, "--host")));
      return 0;
    },
  });
  const subCommands: Record<string, CommandDef<any>> = { locustfile, "demo-target": demoTargetCommand };
  const [first, ...rest] = argv;
  const sub = first !== undefined ? subCommands[first] : undefined;
  const command = sub ?? worker;
  const args = sub ? rest : argv;
  try {
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(`${await renderUsage(command)}\n${sub ? "" : `\nCommands: loadworker locustfile --help, loadworker demo-target --help\n`}`);
      return 0;
    }
    // Anywhere on the line, like --help: otherwise `--loglevel debug --version` starts a worker.
    if (!sub && (args.includes("--version") || args.includes("-v"))) {
      process.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    // Every subcommand is as strict as the worker: a mistyped flag stops it (citty ignores it).
    if (sub) rejectUnknownFlags(args, (sub.args ?? {}) as ArgsDef, `loadworker ${first}`);
    const { result } = await runCommand(command, { rawArgs: args });
    return typeof result === "number" ? result : 0;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof LoadworkerError) {
    process.stderr.write(`loadworker: ${error.message} [${error.code}]\n`);
    return error.code === "E_USAGE" ? 2 : 1;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`loadworker: unexpected error: ${message}\n`);
  return 1;
}
