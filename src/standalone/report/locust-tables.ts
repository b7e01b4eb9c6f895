// Locust's console tables (stats.py get_stats_summary, get_percentile_stats_summary,
// get_error_report_summary), line for line, so the end of a run reads like Locust's.
import type { Accumulator, MergedError } from "../merge/accumulator.ts";
import {
  PERCENTILES_TO_REPORT,
  avgResponseTime,
  currentFailPerSec,
  currentRps,
  failRatio,
  medianResponseTime,
  readablePercentile,
  responseTimePercentile,
  totalFailPerSec,
  totalRps,
} from "../merge/entry-metrics.ts";
import type { MergedEntry } from "../merge/merged-entry.ts";
import { padLeft, padRight, pyFixed, pyInt } from "../../text/pyformat.ts";

const TYPE_WIDTH = 8; // STATS_TYPE_WIDTH

/** STATS_NAME_WIDTH: terminal columns - 80, kept within 0…80; 80 off a terminal. */
export function statsNameWidth(columns: number | undefined): number {
  return columns === undefined ? 80 : Math.max(Math.min(columns - 80, 80), 0);
}

/** get_stats_summary: `current` shows the last-10-s rates, otherwise the whole run's. */
// On an 80-column terminal (name width 0) this is -4: Python's "%--4s" pads to 4, "-" * -4 is "".
const nameColumn = (nameWidth: number) => Math.abs(nameWidth - TYPE_WIDTH + 4);

export function statsTable(acc: Accumulator, current: boolean, nameWidth: number): string[] {
  const nw = nameColumn(nameWidth);
  const header =
    `${padRight("Type", TYPE_WIDTH)} ${padRight("Name", nw)} ${padLeft("# reqs", 7)} ${padLeft("# fails", 12)} |` +
    `${padLeft("Avg", 7)} ${padLeft("Min", 7)} ${padLeft("Max", 7)}${padLeft("Med", 7)} | ${padLeft("req/s", 7)} ${padLeft("failures/s", 11)}`;
  const separator = [TYPE_WIDTH, nameWidth - TYPE_WIDTH + 4, 7, 13, 7, 7, 7, 7, 8, 11].map((n) => "-".repeat(Math.max(0, n))).join("|");
  return [
    header,
    separator,
    ...acc.sortedEntries().map((entry) => entryLine(entry, acc.total, current, nameWidth)),
    separator,
    entryLine(acc.total, acc.total, current, nameWidth),
  ];
}

// StatsEntry.to_string.
function entryLine(entry: MergedEntry, total: MergedEntry, current: boolean, nameWidth: number): string {
  const rps = current ? currentRps(entry, total) : totalRps(entry, total);
  const failPerSec = current ? currentFailPerSec(entry, total) : totalFailPerSec(entry, total);
  const fails = `${entry.numFailures}(${pyFixed(failRatio(entry) * 100, 2)}%)`;
  return (
    `${padRight(entry.method ? `${entry.method} ` : "", TYPE_WIDTH)} ${padRight(entry.name, nameColumn(nameWidth))} ` +
    `${padLeft(String(entry.numRequests), 7)} ${padLeft(fails, 12)} |` +
    `${padLeft(pyInt(avgResponseTime(entry)), 7)} ${padLeft(pyInt(entry.minResponseTime || 0), 7)} ` +
    `${padLeft(pyInt(entry.maxResponseTime), 7)}${padLeft(pyInt(medianResponseTime(entry)), 7)} | ` +
    `${padLeft(pyFixed(rps, 2), 7)} ${padLeft(pyFixed(failPerSec, 2), 11)}`
  );
}

/**
 * get_percentile_stats_summary. Locust's header passes "50%" to the 8-wide column and "# reqs"
 * to the last 6-wide one, one slot off from the rows; kept, since this mirrors Locust's output.
 */
export function percentilesTable(acc: Accumulator, nameWidth: number): string[] {
  const labels = [...PERCENTILES_TO_REPORT.map(readablePercentile), "# reqs"];
  const header = `${padRight("Type", TYPE_WIDTH)} ${padRight("Name", nameWidth)} ${padLeft(labels[0] ?? "", 8)} ${labels
    .slice(1)
    .map((label) => padLeft(label, 6))
    .join(" ")}`;
  const separator = `${"-".repeat(TYPE_WIDTH)}|${"-".repeat(nameWidth)}|${"-".repeat(8)}|${PERCENTILES_TO_REPORT.map(() => "-".repeat(6)).join("|")}`;
  const row = (entry: MergedEntry) => {
    const values = [...PERCENTILES_TO_REPORT.map((p) => responseTimePercentile(entry, p)), entry.numRequests].map(pyInt);
    return `${padRight(entry.method, TYPE_WIDTH)} ${padRight(entry.name, nameWidth)} ${padLeft(values[0] ?? "", 8)} ${values
      .slice(1)
      .map((v) => padLeft(v, 6))
      .join(" ")}`;
  };
  const lines = ["Response time percentiles (approximated)", header, separator];
  for (const entry of acc.sortedEntries()) if (entry.responseTimes.size > 0) lines.push(row(entry));
  lines.push(separator);
  if (acc.total.responseTimes.size > 0) lines.push(row(acc.total));
  return lines;
}

/** get_error_report_summary (Locust prints it only when there are errors). */
export function errorReport(acc: Accumulator, nameWidth: number): string[] {
  const separator = `${"-".repeat(18)}|${"-".repeat(80 + nameWidth - 19)}`;
  return [
    "Error report",
    `${padRight("# occurrences", 18)} ${padRight("Error", 100)}`,
    separator,
    ...[...acc.errors.values()].map((error) => `${padRight(String(error.occurrences), 18)} ${padRight(errorName(error), 100)}`),
    separator,
    "",
  ];
}

/** StatsError.to_name for a serialized error: `GET /x: text`, CatchResponseError(…) unwrapped. */
function errorName(error: MergedError): string {
  const prefix = "CatchResponseError(";
  const text = error.error.startsWith(prefix) ? error.error.slice(prefix.length, -1) : error.error;
  return `${error.method} ${error.name}: ${text}`;
}
