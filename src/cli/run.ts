// `loadworker run`: the same tasks without a master. Flags are Locust's where Locust has one
// (-u, -r, -t, --host, --stop-timeout, --csv, --exit-code-on-error); everything is validated,
// and the report paths probed, before the first user starts.
import { type ArgsDef, defineCommand } from "citty";
import type { Plan } from "../api/plan.ts";
import { systemClock } from "../clock.ts";
import { LoadworkerError } from "../errors.ts";
import { HISTORY_CSV_HEADER } from "../standalone/csv-report.ts";
import { openReportFiles } from "../standalone/report-files.ts";
import { parseRunFlags } from "../standalone/run-options.ts";
import { type StandaloneRun, startStandalone } from "../standalone/run.ts";
import { selectClasses } from "../standalone/select.ts";
import { LiveTerminal } from "../standalone/terminal.ts";
import { guardUnhandledErrors } from "./guard.ts";
import { LOG_LEVELS, createLogger, parseLogLevel } from "./logger.ts";

export const runArgs = {
  users: { type: "string", alias: "u", description: "Peak number of users (default 1)" },
  "spawn-rate": { type: "string", alias: "r", description: "Users started per second (default 1)" },
  "run-time": { type: "string", alias: "t", description: "Stop after this long: 30s, 5m, 1h30m (default: until Ctrl-C)" },
  host: { type: "string", description: "Target host for relative URLs, e.g. http://127.0.0.1:8099" },
  "stop-timeout": { type: "string", description: "Seconds a task in flight may finish when the run ends (default 0)" },
  csv: { type: "string", description: "Write Locust's CSV files: PREFIX_stats.csv, _stats_history.csv, _failures.csv, _exceptions.csv" },
  json: { type: "string", description: "Write the run as JSON (schema: src/standalone/report-schema.json)" },
  html: { type: "string", description: "Write a self-contained HTML report with charts" },
  threshold: { type: "string", description: "Pass/fail rule, repeatable: p95<500, fail_ratio<0.01, 'GET /cart:max<2000' (breach: exit 99)" },
  "abort-on-fail": { type: "boolean", description: "Stop as soon as a threshold fails (checked every second once all users run)" },
  "exit-code-on-error": { type: "string", description: "Exit code when any request failed or a task threw (default 0)" },
  loglevel: { type: "string", default: "info", description: `Log level: ${LOG_LEVELS.join(", ")}` },
  names: { type: "positional", required: false, description: "User classes or tasks to run (default: every class, by weight)" },
} satisfies ArgsDef;

export function standaloneRunCommand(plan: () => Plan) {
  return defineCommand({
    meta: { name: "run", description: "Run the tasks without a master: live view, summary, reports, thresholds" },
    args: runArgs,
    run: async ({ args, rawArgs }): Promise<number> => {
      const level = parseLogLevel(args.loglevel);
      const options = parseRunFlags({
        users: shortValue(args.users),
        spawnRate: shortValue(args["spawn-rate"]),
        runTime: shortValue(args["run-time"]),
        host: args.host,
        stopTimeout: args["stop-timeout"],
        csv: args.csv,
        json: args.json,
        html: args.html,
        thresholds: repeated(rawArgs, "threshold"),
        abortOnFail: args["abort-on-fail"] === true,
        exitCodeOnError: args["exit-code-on-error"],
        names: args._.map(String),
      });
      const selected = selectClasses(plan(), options.names);
      if (!selected.ok) throw new LoadworkerError("E_USAGE", selected.error);
      const files = openReportFiles({ csvPrefix: options.csvPrefix, jsonFile: options.jsonFile, htmlFile: options.htmlFile }, HISTORY_CSV_HEADER);
      const tty = process.stdout.isTTY === true;
      const terminal = tty ? new LiveTerminal(process.stdout) : undefined;
      const log = createLogger(level, terminal ? { write: (text: string) => terminal.print(text) } : process.stderr);
      guardUnhandledErrors(log);
      let running: StandaloneRun | undefined;
      let signals = 0;
      const onSignal = (signal: string) => {
        if (++signals > 1) {
          terminal?.close();
          log.warn(`${signal} again: exiting now without the reports`);
          process.exit(130);
        }
        log.info(`${signal}: ending the run; press Ctrl-C again to exit at once`);
        running?.stop("interrupted");
      };
      process.on("SIGINT", () => onSignal("SIGINT"));
      process.on("SIGTERM", () => onSignal("SIGTERM"));
      const size = () => ({ columns: process.stdout.columns ?? 120, rows: process.stdout.rows ?? 40 });
      running = startStandalone(plan(), selected.classes, options, { clock: systemClock, log, io: { out: process.stdout, terminal, size }, files });
      return running.done;
    },
  });
}

/** Every value of a repeatable flag (citty keeps only the last): `--threshold A --threshold=B`. */
function repeated(rawArgs: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (arg === `--${name}` && i + 1 < rawArgs.length) values.push(rawArgs[++i] as string);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}

// citty hands `-u=5` over as "=5".
function shortValue(value: string | undefined): string | undefined {
  return value?.startsWith("=") ? value.slice(1) : value;
}
