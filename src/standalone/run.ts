// `loadworker run`: the user engine without a master. This shell owns the timers: it ramps
// users up by weight, merges a stats delta every second the way a master would, redraws the
// live view, checks thresholds, and at the end prints the summary and writes the reports.
import type { UserDefinition } from "../api/definitions.ts";
import type { Plan } from "../api/plan.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { createStats } from "../stats/index.ts";
import { userClients } from "../users/clients.ts";
import { describeException } from "../users/exceptions.ts";
import { UserPool } from "../users/pool.ts";
import { Accumulator } from "./accumulator.ts";
import { exceptionsCsv, failuresCsv, historyCsvRows, statsCsv } from "./csv-report.ts";
import { type HistoryPoint, historyPoint } from "./history.ts";
import { renderHtmlReport } from "./html-report.ts";
import { type EndReason, runReport } from "./json-report.ts";
import { type TerminalSize, plainLine, renderLive } from "./live-view.ts";
import { statsNameWidth } from "./locust-tables.ts";
import type { ReportFiles } from "./report-files.ts";
import type { RunOptions } from "./run-options.ts";
import { classTargets, usersAt } from "./spawn-plan.ts";
import { summaryText } from "./summary.ts";
import type { LiveTerminal, Writable } from "./terminal.ts";
import { type ThresholdResult, breached, checkThresholds } from "./threshold-check.ts";
import { viewSnapshot } from "./view-snapshot.ts";

export const STATS_INTERVAL_MS = 1_000; // Locust's CSV interval; also the history resolution
export const VIEW_INTERVAL_MS = 2_000; // Locust's console interval
const CSV_REFRESH_INTERVALS = 5; // Locust flushes its CSV files every 5 s

export interface StandaloneIo {
  readonly out: Writable;
  /** Set on a TTY: the frame is redrawn in place; otherwise one plain line per interval. */
  readonly terminal: LiveTerminal | undefined;
  readonly size: () => TerminalSize;
}

/** Calls `fn` every `ms` until the returned function is called (the worker's `Every`; tests pass fake timers). */
export type Every = (ms: number, fn: () => void) => () => void;

const realEvery: Every = (ms, fn) => {
  const timer = setInterval(fn, ms);
  return () => clearInterval(timer);
};

export interface StandaloneRun {
  /** Resolves with the exit code once users stopped, the summary is printed and reports written. */
  readonly done: Promise<number>;
  /** Ends the run early (SIGINT/SIGTERM); the summary and reports still happen. */
  stop(reason: EndReason): void;
}

export function startStandalone(
  plan: Plan,
  classes: readonly UserDefinition<any>[],
  options: RunOptions,
  deps: { clock: Clock; log: Logger; io: StandaloneIo; files: ReportFiles; every?: Every },
): StandaloneRun {
  const { clock, log, io, files } = deps;
  const every = deps.every ?? realEvery;
  const stats = createStats(clock);
  const startedMs = clock.now();
  const startedAt = clock.epoch();
  const acc = new Accumulator(startedAt);
  const history: HistoryPoint[] = [];
  const loggedTracebacks = new Set<string>();
  const pool = new UserPool({
    plan: { ...plan, users: classes, fallback: classes },
    clock,
    recorder: stats.recorder,
    log,
    // Every exception counts in the reports (no master to flood); each traceback is logged once.
    onException: (error, where) => {
      const { msg, traceback } = describeException(error, where);
      acc.addException(msg, traceback);
      if (loggedTracebacks.size < 1_000 && !loggedTracebacks.has(traceback)) {
        loggedTracebacks.add(traceback);
        log.error(`task code threw: ${msg}\n${traceback}`);
      }
    },
    makeClient: userClients(stats.recorder, clock),
  });
  pool.env = { host: options.host, workerIndex: 0, parsedOptions: {} };
  const weighted = classes.map((c) => ({ name: c.name, weight: c.weight }));
  let phase: "ramping" | "running" | "stopping" = "ramping";
  let finishing: Promise<number> | undefined;
  let fileError = false;
  let intervals = 0;
  const elapsed = () => (clock.now() - startedMs) / 1000;

  const spawnTick = () => {
    const total = usersAt(elapsed(), options.users, options.spawnRate);
    void pool.setTargets(classTargets(weighted, total), options.stopTimeout);
    if (total >= options.users) {
      stopSpawning();
      phase = "running";
      log.info(`all ${options.users} users started: ${JSON.stringify(pool.counts())}`);
    }
  };
  const collect = () => {
    const epoch = clock.epoch();
    const userCount = phase === "stopping" ? 0 : pool.userCount;
    acc.merge(stats.report(pool.counts(), userCount), epoch);
    history.push(historyPoint(acc, epoch, userCount));
    try {
      files.appendHistory(historyCsvRows(acc, epoch, userCount));
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
    if (options.abortOnFail && phase === "running") {
      const failed = checkThresholds(acc, options.thresholds).filter((r) => r.status === "failed");
      if (failed.length > 0) {
        log.warn(`threshold failed: ${failed.map((r) => `${r.threshold.text} (measured ${r.measured})`).join(", ")}; stopping (--abort-on-fail)`);
        stop("threshold-abort");
      }
    }
  };
  const snapshot = () =>
    viewSnapshot(acc, { elapsed: elapsed(), runTime: options.runTime, phase, users: pool.userCount, targetUsers: options.users });
  const viewTick = () => {
    if (io.terminal) io.terminal.draw(renderLive(snapshot(), io.size()));
    else io.out.write(`${plainLine(snapshot())}\n`);
  };

  const spawnMs = Math.min(1_000, Math.max(50, 1_000 / options.spawnRate));
  const stopSpawning = every(spawnMs, spawnTick);
  const stopStats = every(STATS_INTERVAL_MS, statsTick);
  const stopView = every(VIEW_INTERVAL_MS, viewTick);
  const stopRunTimer = options.runTime === null ? () => {} : every(options.runTime * 1000, () => stop("run-time"));
  log.info(`starting ${options.users} users at ${options.spawnRate}/s${options.runTime === null ? "" : ` for ${options.runTime}s`}: ${classes.map((c) => `${c.name} (weight ${c.weight})`).join(", ")}`);
  if (options.host === undefined) log.info("no --host: only tasks that request absolute URLs can succeed");
  spawnTick();
  if (io.terminal) viewTick();

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  function stop(reason: EndReason): void {
    if (finishing) return;
    finishing = finish(reason);
    void finishing.then(resolveDone);
  }

  async function finish(reason: EndReason): Promise<number> {
    stopSpawning();
    stopStats();
    stopRunTimer();
    phase = "stopping";
    log.info(`stopping ${pool.userCount} users (${reason}${options.stopTimeout > 0 ? `, up to ${options.stopTimeout}s for tasks in flight` : ""})`);
    await pool.stopAll(options.stopTimeout);
    stopView();
    collect(); // the requests that finished while users stopped
    const endedAt = clock.epoch();
    const results = checkThresholds(acc, options.thresholds);
    const code = exitCode(acc, results, options.exitCodeOnError);
    io.terminal?.close();
    let written: string[] = [];
    let writeFailed = false;
    try {
      const report = () =>
        runReport(
          acc,
          { startedAt, endedAt, endedBy: reason, users: options.users, spawnRate: options.spawnRate, runTimeSeconds: options.runTime, host: options.host ?? null, userClasses: classes.map((c) => c.name) },
          history,
          results,
        );
      written = files.writeFinal({
        ...csvReports(acc),
        json: () => `${JSON.stringify(report(), null, 2)}\n`,
        html: () => renderHtmlReport(report()),
      });
    } catch (error) {
      log.error(error instanceof Error ? error.message : String(error));
      writeFailed = true;
    }
    const finalCode = writeFailed && code === 0 ? 1 : code;
    const columns = io.terminal ? io.size().columns : undefined;
    io.out.write(
      summaryText(acc, { nameWidth: statsNameWidth(columns), endedBy: reason, duration: endedAt - startedAt, thresholds: results, exitCode: finalCode, files: written }),
    );
    return finalCode;
  }

  return { done, stop };
}

function csvReports(acc: Accumulator) {
  return { statsCsv: statsCsv(acc), failuresCsv: failuresCsv(acc), exceptionsCsv: exceptionsCsv(acc) };
}

/** 99 on any threshold breach (k6's code); else --exit-code-on-error when anything failed; else 0. */
export function exitCode(acc: Accumulator, results: readonly ThresholdResult[], onError: number): number {
  if (breached(results)) return 99;
  if (onError !== 0 && (acc.errors.size > 0 || acc.exceptions.size > 0)) return onError;
  return 0;
}
