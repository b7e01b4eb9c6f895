// `loadworker run`: the user engine without a master. This shell owns the timers: it merges a
// stats delta every second the way a master would (sink.ts), redraws the live view, checks
// thresholds, and at the end prints the summary and writes the reports (finish.ts). The load
// comes from a LoadSource: this process's own users (start.ts), or the children of --processes,
// which send their deltas.
import { type Clock, type Every, realEvery } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { Telemetry } from "../otel/telemetry.ts";
import type { RateLimiter } from "../users/rate-limit.ts";
import { csvReports, finishRun } from "./finish.ts";
import type { EnginePhase } from "./load/engine.ts";
import { type HistoryPoint, historyPoint } from "./merge/history.ts";
import type { EndReason } from "./report/json-report.ts";
import { plainLine, renderLive } from "./view/live-view.ts";
import type { ReportFiles } from "./report/report-files.ts";
import type { RatioClass } from "./report/task-ratio.ts";
import type { RunOptions } from "./options/run-options.ts";
import type { StandaloneIo } from "./view/terminal.ts";
import { checkThresholds } from "./merge/threshold-check.ts";
import { historyCsvRows } from "./report/csv-report.ts";
import type { RunMetrics, RunSink } from "./sink.ts";
import { viewSnapshot } from "./view/view-snapshot.ts";

export const STATS_INTERVAL_MS = 1_000; // Locust's CSV interval; also the history resolution
export const VIEW_INTERVAL_MS = 2_000; // Locust's console interval
const CSV_REFRESH_INTERVALS = 5; // Locust flushes its CSV files every 5 s

export interface StandaloneRun {
  /** Resolves with the exit code once users stopped, the summary is printed and reports written. */
  readonly done: Promise<number>;
  /** Ends the run early (SIGINT/SIGTERM); the summary and reports still happen. */
  stop(reason: EndReason): void;
}

/** Where the load comes from: this process's users, or the children of --processes. */
export interface LoadSource {
  /** Hands what finished since the last call to the run (`RunSink.merge`); children push theirs instead. */
  collect(): void;
  phase(): EnginePhase;
  userCount(): number;
  /** Running users by class. */
  counts(): Readonly<Record<string, number>>;
  /** Seconds since the first user started. */
  elapsed(): number;
  /** Ends the load; resolves once every user (and onTestStop) is done. */
  stop(): Promise<void>;
  /** A reason the run failed that the exit code must show (a child process that died), if any. */
  failure?(): string | undefined;
  /** Resolves when the users begin (after onTestStart): the run time counts from then, as in Locust. */
  readonly started?: Promise<void> | undefined;
  /** Resolves once every user of the ramp-up started (Locust's spawning_complete), its deltas handed over first. */
  readonly rampedUp?: Promise<void>;
  /** With --iterations: resolves once every task run was made and has ended; the run ends then. */
  readonly finished?: Promise<void> | undefined;
}

export interface RunDeps {
  clock: Clock;
  log: Logger;
  io: StandaloneIo;
  files: ReportFiles;
  every?: Every;
  limiter?: RateLimiter;
  metrics?: RunMetrics;
  /** `run --otel` in one process. */
  telemetry?: Telemetry;
}

/** The timers, the view, the thresholds and the end of a run, whatever its load source. */
export function driveRun(
  source: LoadSource,
  sink: RunSink,
  options: RunOptions,
  deps: RunDeps,
  classes: readonly RatioClass[],
): StandaloneRun {
  const { clock, log, io, files } = deps;
  const every = deps.every ?? realEvery;
  const startedAt = clock.epoch();
  const acc = sink.acc;
  const history: HistoryPoint[] = [];
  let finishing: Promise<number> | undefined;
  let fileError = false;
  let intervals = 0;
  const counted = { dropped: 0, late: 0 }; // the misses up to the last history point
  const phase = () => {
    const now = source.phase();
    return now === "starting" ? "ramping" : now;
  };

  const collect = () => {
    source.collect();
    const epoch = clock.epoch();
    const userCount = source.userCount();
    const misses = { dropped: acc.droppedIterations - counted.dropped, late: acc.lateIterations - counted.late };
    counted.dropped = acc.droppedIterations;
    counted.late = acc.lateIterations;
    history.push(historyPoint(acc, epoch, userCount, misses));
    try {
      files.appendHistory(historyCsvRows(acc, epoch, userCount, options.csvFullHistory));
      if (++intervals % CSV_REFRESH_INTERVALS === 0) files.refreshCsv(() => csvReports(acc));
    } catch (error) {
      // The disk filled up, say: the run goes on, the end tries again and reports it.
      if (!fileError) log.error(error instanceof Error ? error.message : String(error));
      fileError = true;
    }
  };
  const statsTick = () => {
    collect();
    // Only once every user runs: a p95 during the ramp-up is not the test's p95.
    if (options.abortOnFail && phase() === "running") {
      const failed = checkThresholds(acc, options.thresholds).filter((r) => r.status === "failed");
      if (failed.length > 0) {
        log.warn(
          `threshold failed: ${failed.map((r) => `${r.threshold.text} (measured ${r.measured})`).join(", ")}; stopping (--abort-on-fail)`,
        );
        stop("threshold-abort");
      }
    }
  };
  const snapshot = () =>
    viewSnapshot(acc, {
      elapsed: source.elapsed(),
      runTime: options.runTime,
      phase: phase(),
      users: source.userCount(),
      targetUsers: options.users,
      open: options.arrival !== null,
    });
  const viewTick = () => {
    if (io.terminal) io.terminal.draw(renderLive(snapshot(), io.size()));
    else io.out.write(`${plainLine(snapshot())}\n`);
  };

  const stopStats = every(STATS_INTERVAL_MS, statsTick);
  // --only-summary (Locust's flag): no live view nor interval lines; logs, the summary and the reports stay.
  const stopView = options.onlySummary ? () => {} : every(VIEW_INTERVAL_MS, viewTick);
  let stopRunTimer = () => {};
  const runTime = options.runTime;
  if (runTime !== null) {
    const startTimer = () => {
      if (!finishing) stopRunTimer = every(runTime * 1000, () => stop("run-time"));
    };
    if (source.started) void source.started.then(startTimer);
    else startTimer();
  }
  if (io.terminal && !options.onlySummary) viewTick();
  void source.finished?.then(() => stop("iterations"));
  if (options.resetStats && source.rampedUp) {
    void source.rampedUp.then(() => {
      if (finishing) return;
      source.collect(); // what finished during the ramp-up goes too
      acc.reset(clock.epoch());
      history.length = 0; // Locust's reset_all clears the charts' history too
      log.info("every user started: the stats start over (--reset-stats)");
    });
  }

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  function stop(reason: EndReason): void {
    if (finishing) return;
    // Whatever throws at the end (stdout gone, a source that cannot stop), the run still ends: the
    // error is logged, the exit code is 1, and report files already written stay.
    finishing = finish(reason).catch((error: unknown) => {
      stopView();
      io.terminal?.close();
      log.error(
        `the run could not finish (exit code 1; report files already written stay): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return 1;
    });
    void finishing.then(resolveDone, () => resolveDone(1));
  }

  async function finish(reason: EndReason): Promise<number> {
    stopStats();
    stopRunTimer();
    log.info(`ending the run (${reason})`);
    const spawned = { ...source.counts() }; // Locust's final_user_classes_count: the users when the run stopped
    await source.stop();
    stopView();
    collect(); // the requests that finished while users stopped
    return finishRun({
      acc,
      history,
      options,
      startedAt,
      endedAt: clock.epoch(),
      reason,
      files,
      io,
      log,
      classes,
      spawned,
      failure: source.failure?.(),
    });
  }

  return { done, stop };
}
