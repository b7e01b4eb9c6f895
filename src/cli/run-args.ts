// The flags of `loadworker run`, with their help texts: Locust's where Locust has one, the
// worker's controls otherwise (run.ts validates them and starts the run).
import type { ArgsDef } from "citty";
import { processesArgs } from "./args.ts";
import { controlArgs } from "./controls-args.ts";
import { LOG_LEVELS } from "./logger.ts";
import { otelArg } from "./otel-arg.ts";
import { tasksArg } from "./tasks-arg.ts";

export const runArgs = {
  users: { type: "string", alias: "u", description: "Peak number of users (default 1)" },
  "spawn-rate": { type: "string", alias: "r", description: "Users started per second (default 1)" },
  "arrival-rate": {
    type: "string",
    description: "The open model: start this many task runs per second whatever the responses do (50, 50/s, 300/m); see docs/open-model.md",
  },
  stages: { type: "string", description: 'Ramp the arrival rate stage by stage: "30s:50,2m:200,30s:0" (k6\'s ramping-arrival-rate)' },
  "max-users": {
    type: "string",
    description:
      "With --arrival-rate/--stages: users started as needed up to N, fixedCount users included (default -u, else the fixed users and the peak rate)",
  },
  "run-time": { type: "string", alias: "t", description: "Stop after this long: 30s, 5m, 1h30m (default: until Ctrl-C)" },
  iterations: {
    type: "string",
    alias: "i",
    description: "End the run once the users have made N task runs in all (k6's shared-iterations, locust-plugins' -i); -t still caps it",
  },
  host: {
    type: "string",
    description:
      "Target host for relative URLs, e.g. http://127.0.0.1:8099 (or env LOADWORKER_HOST, which keeps a password out of ps; the flag wins)",
  },
  "stop-timeout": { type: "string", description: "Seconds a task in flight may finish when the run ends (default 0)" },
  "reset-stats": {
    type: "boolean",
    description: "Start the stats over once every user has started, leaving the ramp-up out (Locust's flag)",
  },
  "equal-weights": {
    type: "boolean",
    description: "Give every class and every task of a class the same weight, whatever the task files say (Locust's flag)",
  },
  csv: { type: "string", description: "Write Locust's CSV files: PREFIX_stats.csv, _stats_history.csv, _failures.csv, _exceptions.csv" },
  "csv-full-history": {
    type: "boolean",
    description: "With --csv: a _stats_history.csv row for every request name each second, not only Aggregated (Locust's flag)",
  },
  json: { type: "string", description: "Write the run as JSON (its JSON Schema: loadworker run --report-schema)" },
  "report-schema": {
    type: "boolean",
    description: "Print the JSON Schema of the --json report (its $id is the report's $schema) and exit",
  },
  html: {
    type: "string",
    description: "Write a self-contained HTML report with charts; {u}, {r}, {t} in the name become users, spawn rate, run time (Locust's)",
  },
  "only-summary": { type: "boolean", description: "No live view or interval lines: only the summary at the end (Locust's flag)" },
  threshold: {
    type: "string",
    description: "Pass/fail rule, repeatable: p95<500, fail_ratio<0.01, 'GET /cart:max<2000' (breach: exit 99)",
  },
  "abort-on-fail": { type: "boolean", description: "Stop as soon as a threshold fails (checked every second once all users run)" },
  "exit-code-on-error": { type: "string", description: "Exit code when any request failed or a task threw (default 0)" },
  tags: { type: "string", alias: "T", description: "Run only tasks with one of these tags (Locust's -T: -T a b, or a,b)" },
  "exclude-tags": { type: "string", alias: "E", description: "Leave out tasks with any of these tags (Locust's -E)" },
  list: { type: "boolean", alias: "l", description: "List the user classes (and their tasks) and exit (Locust's -l)" },
  "show-task-ratio": {
    type: "boolean",
    description: "Print the task ratios per user class and in total for -u users, and exit (Locust's flag)",
  },
  "show-task-ratio-json": { type: "boolean", description: "Print the task ratios as JSON and exit (Locust's flag)" },
  ...tasksArg,
  ...controlArgs,
  processes: {
    ...processesArgs.processes,
    description: "Run the users in N processes (Locust's --processes; -1: one per CPU core); this one merges their stats and reports",
  },
  loglevel: { type: "string", default: "info", description: `Log level: ${LOG_LEVELS.join(", ")}` },
  ...otelArg,
  names: { type: "positional", required: false, description: "User classes or tasks to run (default: every class, by weight)" },
} satisfies ArgsDef;
