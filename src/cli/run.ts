// `loadworker run`: the same tasks without a master. Flags are Locust's where Locust has one
// (-u, -r, -t, --host, --stop-timeout, --csv, --exit-code-on-error, -T/--tags, -E/--exclude-tags)
// and the worker's controls otherwise (--max-rps, --request-increase-rate, --metrics-port, parsed
// by controls-args.ts as for the worker); everything is validated, and the report paths probed,
// before the first user starts.
import { defineCommand } from "citty";
import type { LoadPlan } from "../project/plan-source.ts";
import { systemClock } from "../clock.ts";
import { releaseFeeders } from "../data/registry.ts";
import { setProcessShare } from "../data/unique.ts";
import { LoadworkerError } from "../errors.ts";
import { HISTORY_CSV_HEADER } from "../standalone/report/csv-report.ts";
import { openReportFiles } from "../standalone/report/report-files.ts";
import { listText, taskRatioJson, taskRatioText } from "../standalone/report/task-ratio-text.ts";
import { plannedSpawn, taskRatio } from "../standalone/report/task-ratio.ts";
import reportSchema from "../standalone/report/report-schema.json" with { type: "json" };
import { fitArrival } from "../standalone/load/open-plan.ts";
import { capNote } from "../standalone/options/arrival.ts";
import { parseRunFlags, processesForUsers } from "../standalone/options/run-options.ts";
import type { StandaloneRun } from "../standalone/run.ts";
import { startStandalone } from "../standalone/start.ts";
import { equalWeights, filterByTags, selectClasses } from "../standalone/load/select.ts";
import { LiveTerminal } from "../standalone/view/terminal.ts";
import { tagFilterFrom } from "../users/classes.ts";
import { hostInput, listFlag, withoutTaken } from "./args.ts";
import { parseMetricsPort, parseRateLimit, startControls } from "./controls-args.ts";
import { parseProcessCount, usableCores } from "../processes/count.ts";
import { guardUnhandledErrors } from "./guard.ts";
import { processSlot } from "../processes/fork.ts";
import { runChild } from "../processes/run/child-run.ts";
import { runParent } from "../processes/run/parent.ts";
import { createLogger, parseLogLevel } from "./logger.ts";
import { telemetryFor } from "./otel-arg.ts";
import { runArgs } from "./run-args.ts";

export function standaloneRunCommand(plan: LoadPlan) {
  return defineCommand({
    meta: { name: "run", description: "Run the tasks without a master: live view, summary, reports, thresholds" },
    args: runArgs,
    run: async ({ args, rawArgs }): Promise<number> => {
      // The binary's users have no src/ to read it from.
      if (args["report-schema"] === true) {
        process.stdout.write(`${JSON.stringify(reportSchema, null, 2)}\n`);
        return 0;
      }
      const level = parseLogLevel(args.loglevel);
      const tags = listFlag(rawArgs, ["--tags", "-T"]);
      const excludeTags = listFlag(rawArgs, ["--exclude-tags", "-E"]);
      const hostIn = hostInput(args.host, process.env);
      const parsed = parseRunFlags({
        users: shortValue(args.users),
        spawnRate: shortValue(args["spawn-rate"]),
        runTime: shortValue(args["run-time"]),
        host: hostIn.value,
        hostName: hostIn.name,
        stopTimeout: args["stop-timeout"],
        csv: args.csv,
        csvFullHistory: args["csv-full-history"] === true,
        onlySummary: args["only-summary"] === true,
        resetStats: args["reset-stats"] === true,
        iterations: shortValue(args.iterations),
        json: args.json,
        html: args.html,
        thresholds: repeated(rawArgs, "threshold"),
        abortOnFail: args["abort-on-fail"] === true,
        exitCodeOnError: args["exit-code-on-error"],
        names: withoutTaken(args._.map(String), [...tags.taken, ...excludeTags.taken]),
        tags: tags.values,
        excludeTags: excludeTags.values,
        arrivalRate: args["arrival-rate"],
        stages: args.stages,
        maxUsers: args["max-users"],
      });
      const processCount = parseProcessCount(args.processes, usableCores());
      const rateLimit = parseRateLimit(args["max-rps"], args["request-increase-rate"]);
      const metricsPort = parseMetricsPort(args["metrics-port"]);
      const built = await plan(args.tasks); // validated once; the selection below holds its class objects
      if (args.list === true) {
        process.stdout.write(listText(built.users));
        return 0;
      }
      const named = selectClasses(built, parsed.names);
      if (!named.ok) throw new LoadworkerError("E_USAGE", named.error);
      const weighed = args["equal-weights"] === true ? equalWeights(named.classes) : named.classes;
      const selected = filterByTags(weighed, tagFilterFrom({ tags: parsed.tags, exclude_tags: parsed.excludeTags }));
      if (!selected.ok) throw new LoadworkerError("E_USAGE", selected.error);
      if (args["show-task-ratio"] === true || args["show-task-ratio-json"] === true) {
        // As Locust: the classes run, after the tags, with -u users split (its total weight without -u).
        const ratio = taskRatio(selected.classes, plannedSpawn(selected.classes, args.users === undefined ? undefined : parsed.users));
        process.stdout.write(args["show-task-ratio"] === true ? taskRatioText(ratio) : taskRatioJson(ratio));
        return 0;
      }
      // The open model's users once the classes are known: fixedCount's first (open-plan.ts).
      const arrival = parsed.arrival && fitArrival(parsed.arrival, selected.classes);
      const users = arrival ? arrival.maxUsers : parsed.users;
      const processes = processesForUsers(processCount, users);
      const options = { ...parsed, arrival, users, processes: processes.count };
      const slot = processSlot(); // a child of run --processes: its share of the users, its lines say which one
      if (slot !== undefined) {
        setProcessShare(slot.index - 1, slot.count); // a unique feeder's rows: this child's share
        const printer = await createLogger(level, process.stderr, `process ${slot.index}/${slot.count}`);
        const telemetry = telemetryFor(args.otel, args.tasks, printer, true); // each child exports its own share
        const log = telemetry.bridge(printer);
        guardUnhandledErrors(log);
        if (telemetry.flagged) await telemetry.start();
        const share = { index: slot.index - 1, count: slot.count };
        const code = await runChild(built, selected.classes, options, share, rateLimit, log, telemetry);
        await telemetry.shutdown();
        return code;
      }
      const files = openReportFiles(
        { csvPrefix: options.csvPrefix, jsonFile: options.jsonFile, htmlFile: options.htmlFile },
        HISTORY_CSV_HEADER,
      );
      const tty = process.stdout.isTTY === true;
      const terminal = tty ? new LiveTerminal(process.stdout) : undefined;
      const logSink = terminal ? { write: (text: string) => terminal.print(text) } : process.stderr;
      const printer = await createLogger(level, logSink);
      // With --processes the children export (their users, their requests); this process only merges.
      const telemetry = options.processes > 1 ? undefined : telemetryFor(args.otel, args.tasks, printer, true);
      const log = telemetry?.bridge(printer) ?? printer;
      guardUnhandledErrors(log);
      if (processes.note) log.info(processes.note);
      if (selected.dropped.length > 0) log.info(`not starting ${selected.dropped.join(", ")}: no task left after the tags`);
      const controls = await startControls(rateLimit, metricsPort, args["metrics-host"], log);
      const capped = options.arrival && rateLimit && capNote(options.arrival, rateLimit.maxRps);
      if (capped) log.warn(capped);
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
      const deps = {
        clock: systemClock,
        log,
        io: { out: process.stdout, terminal, size },
        files,
        limiter: controls.limiter,
        metrics: controls.metrics,
        telemetry,
      };
      if (telemetry?.flagged) await telemetry.start();
      if (options.processes > 1) releaseFeeders(); // checked above; the children read them
      running =
        options.processes > 1
          ? runParent(options.processes, rawArgs, selected.classes, options, deps, (text) => logSink.write(text))
          : startStandalone(built, selected.classes, options, deps);
      const code = await running.done;
      await telemetry?.shutdown();
      controls.limiter?.close();
      await controls.close();
      return code;
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
