// The end-of-run text: Locust's own tables (whole-run stats, percentiles, error report), then
// exceptions, thresholds with what was measured, and how the run ended. Pure.
import type { Accumulator } from "../merge/accumulator.ts";
import { formatSeconds } from "../options/duration.ts";
import type { EndReason } from "./json-report.ts";
import { errorReport, percentilesTable, statsTable } from "./locust-tables.ts";
import { displayWidth, fit } from "../view/text-width.ts";
import type { ThresholdResult } from "../merge/threshold-check.ts";

export interface SummaryContext {
  readonly nameWidth: number;
  readonly endedBy: EndReason;
  readonly duration: number;
  readonly thresholds: readonly ThresholdResult[];
  readonly exitCode: number;
  /** Why the exit code is not 0: "a threshold failed", …; absent with 0. */
  readonly exitReason?: string | undefined;
  /** Report files written, for the last lines. */
  readonly files: readonly string[];
  /** The open model's rate line, e.g. "--arrival-rate 100/s, up to 20 users"; absent in the closed model. */
  readonly openModel?: string;
}

const ENDED: Record<EndReason, string> = {
  "run-time": "the run time elapsed",
  iterations: "every --iterations task run ended",
  interrupted: "interrupted (Ctrl-C or SIGTERM)",
  "threshold-abort": "a threshold failed (--abort-on-fail)",
  "process-exited": "a worker process exited (--processes)",
};

export function summaryText(acc: Accumulator, ctx: SummaryContext): string {
  const lines = [...statsTable(acc, false, ctx.nameWidth), "", ...percentilesTable(acc, ctx.nameWidth), ""];
  if (acc.errors.size > 0) lines.push(...errorReport(acc, ctx.nameWidth));
  if (acc.exceptions.size > 0) {
    lines.push("Exceptions in task code");
    for (const x of acc.exceptions.values()) lines.push(`${String(x.count).padEnd(18)} ${x.msg}`);
    lines.push("");
  }
  if (ctx.openModel !== undefined || acc.droppedIterations > 0 || acc.lateIterations > 0) lines.push(...missesLines(acc, ctx), "");
  if (ctx.thresholds.length > 0) {
    lines.push("Thresholds");
    // Padded by terminal columns: a CJK name is two a character (padEnd counted one).
    const width = Math.max(...ctx.thresholds.map((r) => displayWidth(r.threshold.text)));
    for (const r of ctx.thresholds) lines.push(`  ${thresholdVerdict(r)}  ${fit(r.threshold.text, width)}  ${thresholdDetail(r)}`);
    lines.push("");
  }
  const why = ctx.exitReason === undefined ? "" : ` (${ctx.exitReason})`;
  lines.push(`Run ended after ${formatSeconds(ctx.duration)}: ${ENDED[ctx.endedBy]}. Exit code ${ctx.exitCode}${why}.`);
  for (const file of ctx.files) lines.push(`Wrote ${file}`);
  return `${lines.join("\n")}\n`;
}

// The open model's account of its schedule (docs/open-model.md).
function missesLines(acc: Accumulator, ctx: SummaryContext): string[] {
  const lines = [`Open model${ctx.openModel ? ` (${ctx.openModel})` : ""}`];
  lines.push(
    `  dropped iterations: ${acc.droppedIterations}${acc.droppedIterations > 0 ? " (no free user at their scheduled start: raise --max-users, or --max-rps when it is below the rate)" : ""}`,
  );
  lines.push(`  late iterations:    ${acc.lateIterations} (started 100 ms or more after schedule; their first request is timed from it)`);
  return lines;
}

function thresholdVerdict(r: ThresholdResult): string {
  return r.status === "passed" ? "passed" : "FAILED";
}

function thresholdDetail(r: ThresholdResult): string {
  if (r.status === "no-data" || r.measured === null) return `${r.subject}: nothing was recorded under this name (counts as failed)`;
  return `${r.subject}: measured ${formatMeasured(r.measured)}`;
}

function formatMeasured(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
