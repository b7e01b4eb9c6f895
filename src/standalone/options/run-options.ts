// `loadworker run` flags as text → validated options, or one E_USAGE error that names the flag,
// what was given and what to write instead. Pure: nothing starts before this has passed.
import { LoadworkerError } from "../../errors.ts";
import { parseHostUrl } from "../../http/host-url.ts";
import { maskCredentials } from "../../http/index.ts";
import { MAX_TIMER_SECONDS, TIMESPAN_FORMATS, formatSeconds, parseTimespan } from "./duration.ts";
import { type ArrivalOptions, parseArrival, stagesSeconds } from "./arrival.ts";
import { type Threshold, parseThreshold } from "./threshold.ts";
import { pyFloat } from "../../text/pyformat.ts";

export interface RunFlags {
  users?: string;
  spawnRate?: string;
  runTime?: string;
  host?: string;
  /** Where `host` came from, for its error message: "--host" (the default) or LOADWORKER_HOST. */
  hostName?: string;
  stopTimeout?: string;
  csv?: string;
  /** --csv-full-history: a _stats_history.csv row per entry, not only Aggregated. */
  csvFullHistory?: boolean;
  /** --only-summary: no live view or interval lines, the summary at the end only. */
  onlySummary?: boolean;
  /** --reset-stats: the stats start over once every user started. */
  resetStats?: boolean;
  /** --iterations: task runs in all, then the run ends. */
  iterations?: string;
  json?: string;
  html?: string;
  thresholds: readonly string[];
  abortOnFail: boolean;
  exitCodeOnError?: string;
  names: readonly string[];
  /** -T/--tags and -E/--exclude-tags values, each maybe comma-separated; undefined: not given. */
  tags?: readonly string[];
  excludeTags?: readonly string[];
  /** The open model: --arrival-rate, --stages, --max-users (arrival.ts). */
  arrivalRate?: string;
  stages?: string;
  maxUsers?: string;
}

export interface RunOptions {
  readonly users: number;
  readonly spawnRate: number;
  /** Seconds, or null to run until interrupted (Locust's default). */
  readonly runTime: number | null;
  /** The target as given, credentials included: what the users' requests use. */
  readonly host: string | undefined;
  /** The target with any password masked: what reports and logs show. */
  readonly shownHost: string | undefined;
  readonly stopTimeout: number;
  readonly csvPrefix: string | undefined;
  readonly csvFullHistory: boolean;
  readonly onlySummary: boolean;
  readonly resetStats: boolean;
  /** --iterations: task runs in all (k6's shared-iterations); null: no count, the run time or Ctrl-C ends the run. */
  readonly iterations: number | null;
  readonly jsonFile: string | undefined;
  readonly htmlFile: string | undefined;
  readonly thresholds: readonly Threshold[];
  readonly abortOnFail: boolean;
  /** Exit code when anything failed (Locust's --exit-code-on-error); 0 keeps failures at exit 0. */
  readonly exitCodeOnError: number;
  readonly names: readonly string[];
  /** Locust's --tags / --exclude-tags; null when not given (an empty list is not given, as in Locust). */
  readonly tags: readonly string[] | null;
  readonly excludeTags: readonly string[] | null;
  /** How many processes run the users (--processes; the CLI sets it, 1 without the flag). */
  readonly processes: number;
  /** The open model (--arrival-rate / --stages); null: the closed model of -u and -r. */
  readonly arrival: ArrivalOptions | null;
}

const usage = (message: string) => new LoadworkerError("E_USAGE", message);

export function parseRunFlags(flags: RunFlags): RunOptions {
  const arrival = parseArrival(flags);
  // In the open model users start as iterations need them, up to --max-users: -u is its default.
  const users = arrival ? arrival.maxUsers : wholeNumber(flags.users ?? "1", "-u/--users", 1);
  const spawnRate = positiveNumber(flags.spawnRate ?? "1", "-r/--spawn-rate");
  // --stages without -t: the run lasts as long as its stages.
  const runTime = flags.runTime === undefined ? arrival && stagesSeconds(arrival) : timespan(flags.runTime, "-t/--run-time", 1);
  const stopTimeout = timespan(flags.stopTimeout ?? "0", "--stop-timeout", 0);
  const thresholds = flags.thresholds.map((text) => {
    const parsed = parseThreshold(text);
    if (!parsed.ok) throw usage(`--threshold: ${parsed.error}`);
    return parsed.threshold;
  });
  if (flags.abortOnFail && thresholds.length === 0) {
    throw usage("--abort-on-fail needs at least one --threshold to watch, e.g. --threshold 'p95<500' --abort-on-fail");
  }
  const exitCodeOnError = flags.exitCodeOnError === undefined ? 0 : wholeNumber(flags.exitCodeOnError, "--exit-code-on-error", 0, 255);
  const host = parseHostUrl(flags.host, flags.hostName ?? "--host");
  const iterations = flags.iterations === undefined ? null : wholeNumber(flags.iterations, "--iterations", 1);
  if (iterations !== null && arrival !== null) {
    throw usage("--iterations counts the closed model's task runs; the open model (--arrival-rate, --stages) ends with -t or its stages");
  }
  if (flags.resetStats === true && arrival !== null) {
    throw usage(
      "--reset-stats starts the stats over once -u users have started; the open model (--arrival-rate, --stages) has no such ramp-up",
    );
  }
  if (flags.csvFullHistory === true && flags.csv === undefined) {
    throw usage(
      "--csv-full-history adds rows to the CSV files' history: give --csv PREFIX too, e.g. --csv reports/run1 --csv-full-history",
    );
  }
  return {
    users,
    spawnRate,
    runTime,
    host,
    shownHost: host === undefined ? undefined : maskCredentials(host),
    stopTimeout,
    csvPrefix: path(flags.csv, "--csv", "a file prefix such as reports/run1"),
    csvFullHistory: flags.csvFullHistory === true,
    onlySummary: flags.onlySummary === true,
    resetStats: flags.resetStats === true,
    iterations,
    jsonFile: path(flags.json, "--json", "a file name such as report.json"),
    htmlFile: htmlName(path(flags.html, "--html", "a file name such as report.html"), users, spawnRate, runTime),
    thresholds,
    abortOnFail: flags.abortOnFail,
    exitCodeOnError,
    names: flags.names,
    tags: tagList(flags.tags),
    excludeTags: tagList(flags.excludeTags),
    processes: 1,
    arrival,
  };
}

/**
 * How many processes `run --processes N -u U` starts: at most U. The users are dealt one at a
 * time (user k to process k mod N), so a process beyond the U-th would get none and only start,
 * log "all 0 users started" and stop. `note` is the line that says so when fewer start than asked.
 */
export function processesForUsers(requested: number, users: number): { count: number; note?: string } {
  if (requested <= users) return { count: requested };
  const count = Math.max(1, users);
  const which = count === 1 ? "this process runs it" : `starting ${count} processes, one user each`;
  return { count, note: `--processes ${requested} with -u ${users}: ${which} (a process without a user would do nothing)` };
}

/** Locust's --html tags (html.py process_html_filename): {u} users, {r} spawn rate, {t} run time in seconds. */
function htmlName(name: string | undefined, users: number, spawnRate: number, runTime: number | null): string | undefined {
  if (name === undefined) return undefined;
  const text = (value: number) => (Number.isInteger(value) ? String(value) : pyFloat(value)); // str(int(v)) or str(v)
  let out = name.replaceAll("{u}", text(users)).replaceAll("{r}", text(spawnRate));
  if (runTime !== null) out = out.replaceAll("{t}", text(runTime));
  return out;
}

function tagList(values: readonly string[] | undefined): string[] | null {
  const tags = [
    ...new Set(
      (values ?? [])
        .flatMap((v) => v.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  return tags.length === 0 ? null : tags;
}

function wholeNumber(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\+?\d+$/.test(text.trim()) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw usage(`${flag} must be a whole number ${range}, got "${text}"`);
  }
  return value;
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0)
    throw usage(`${flag} must be a number of users per second above 0 (e.g. 10 or 0.5), got "${text}"`);
  return value;
}

function timespan(text: string, flag: string, min: number): number {
  const seconds = parseTimespan(text);
  if (seconds === null) throw usage(`${flag} must be a time span such as ${TIMESPAN_FORMATS}, got "${text}"`);
  if (seconds < min) throw usage(`${flag} must be at least ${min}s, got "${text}"`);
  // Else the run would end (or its users be killed) at once.
  if (seconds > MAX_TIMER_SECONDS)
    throw usage(`${flag} must be at most ${formatSeconds(MAX_TIMER_SECONDS)} (about 24 days), got "${text}"`);
  return seconds;
}

function path(text: string | undefined, flag: string, example: string): string | undefined {
  if (text === undefined) return undefined;
  if (text.trim() === "") throw usage(`${flag} needs ${example}`);
  return text;
}
