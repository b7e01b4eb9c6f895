// The end of a run: thresholds checked, the exit code decided, the report files written and the
// summary printed, from what the run merged.
import type { Logger } from "../log.ts";
import type { Accumulator } from "./merge/accumulator.ts";
import { exceptionsCsv, failuresCsv, statsCsv } from "./report/csv-report.ts";
import type { HistoryPoint } from "./merge/history.ts";
import { renderHtmlReport } from "./report/html-report.ts";
import { type EndReason, runReport } from "./report/json-report.ts";
import { statsNameWidth } from "./report/locust-tables.ts";
import type { ReportFiles } from "./report/report-files.ts";
import type { ArrivalOptions } from "./options/arrival.ts";
import type { RunOptions } from "./options/run-options.ts";
import { type RatioClass, taskRatio } from "./report/task-ratio.ts";
import { summaryText } from "./report/summary.ts";
import type { StandaloneIo } from "./view/terminal.ts";
import { type ThresholdResult, breached, checkThresholds } from "./merge/threshold-check.ts";

export interface FinishInput {
  readonly acc: Accumulator;
  readonly history: readonly HistoryPoint[];
  readonly options: RunOptions;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly reason: EndReason;
  /** The classes run, with their tasks' weights, and their users when the run stopped (the final ratio). */
  readonly classes: readonly RatioClass[];
  readonly spawned: Readonly<Record<string, number>>;
  readonly files: ReportFiles;
  readonly io: StandaloneIo;
  readonly log: Logger;
  /** Why the run failed whatever the numbers say (a --processes child died): exit 1 unless a threshold breached. */
  readonly failure: string | undefined;
}

/** Writes the reports and prints the summary; resolves with the exit code. */
export function finishRun(input: FinishInput): number {
  const { acc, options, files, io, log } = input;
  const results = checkThresholds(acc, options.thresholds);
  const code = exitCode(acc, results, options.exitCodeOnError);
  io.terminal?.close();
  let written: string[] = [];
  let writeFailed = false;
  try {
    const report = () =>
      runReport(
        acc,
        {
          startedAt: input.startedAt,
          endedAt: input.endedAt,
          endedBy: input.reason,
          users: options.users,
          spawnRate: options.spawnRate,
          runTimeSeconds: options.runTime,
          host: options.shownHost ?? null,
          userClasses: input.classes.map((c) => c.name),
          processes: options.processes,
          arrival: options.arrival,
        },
        [...input.history],
        results,
        taskRatio(input.classes, input.spawned),
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
  if (input.failure !== undefined) log.error(input.failure);
  const finalCode = (writeFailed || input.failure !== undefined) && code === 0 ? 1 : code;
  const why = finalCode === 0 ? undefined : exitWhy(breached(results), code, input.failure);
  const columns = io.terminal ? io.size().columns : undefined;
  io.out.write(
    summaryText(acc, {
      nameWidth: statsNameWidth(columns),
      endedBy: input.reason,
      duration: input.endedAt - input.startedAt,
      thresholds: results,
      exitCode: finalCode,
      exitReason: why,
      files: written,
      openModel: options.arrival ? openModelText(options.arrival) : undefined,
    }),
  );
  return finalCode;
}

export function csvReports(acc: Accumulator) {
  return { statsCsv: statsCsv(acc), failuresCsv: failuresCsv(acc), exceptionsCsv: exceptionsCsv(acc) };
}

/** 99 on any threshold breach (k6's code); else --exit-code-on-error when anything failed; else 0. */
export function exitCode(acc: Accumulator, results: readonly ThresholdResult[], onError: number): number {
  if (breached(results)) return 99;
  if (onError !== 0 && (acc.errors.size > 0 || acc.exceptions.size > 0)) return onError;
  return 0;
}

// The summary names the cause it had: exit 1 also comes from a lost process or an unwritable report.
function exitWhy(thresholdFailed: boolean, code: number, failure: string | undefined): string {
  if (thresholdFailed) return "a threshold failed";
  if (code !== 0) return "there were failures or exceptions: --exit-code-on-error";
  if (failure !== undefined) return "a worker process exited during the run";
  return "a report file could not be written";
}

/** "--arrival-rate 100/s, up to 20 users" or with --stages "0/s → 50/s in 30s …". */
function openModelText(arrival: ArrivalOptions): string {
  const stages = arrival.stages.map((s) => ` → ${s.rate}/s in ${s.seconds}s`).join("");
  return `${arrival.rate}/s${stages}, up to ${arrival.maxUsers} users`;
}
