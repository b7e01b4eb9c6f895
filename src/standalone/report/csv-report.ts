// Locust's --csv files (stats.py StatsCSV / StatsCSVFileWriter): the same headers and the same
// number formats, so tools that read Locust's CSVs read ours. Pure: the shell writes the strings.
import type { Accumulator } from "../merge/accumulator.ts";
import {
  PERCENTILES_TO_REPORT,
  avgContentLength,
  avgResponseTime,
  currentFailPerSec,
  currentResponseTimePercentile,
  currentRps,
  medianResponseTime,
  readablePercentile,
  responseTimePercentile,
  totalFailPerSec,
  totalRps,
} from "../merge/entry-metrics.ts";
import type { MergedEntry } from "../merge/merged-entry.ts";
import { csvRow, pyFixed, pyFloat, pyNumber } from "../../text/pyformat.ts";

const PERCENTILE_COLUMNS = PERCENTILES_TO_REPORT.map(readablePercentile);

const STATS_CSV_HEADER = csvRow([
  "Type",
  "Name",
  "Request Count",
  "Failure Count",
  "Median Response Time",
  "Average Response Time",
  "Min Response Time",
  "Max Response Time",
  "Average Content Size",
  "Requests/s",
  "Failures/s",
  ...PERCENTILE_COLUMNS,
]);

export const HISTORY_CSV_HEADER = csvRow([
  "Timestamp",
  "User Count",
  "Type",
  "Name",
  "Requests/s",
  "Failures/s",
  ...PERCENTILE_COLUMNS,
  "Total Request Count",
  "Total Failure Count",
  "Total Median Response Time",
  "Total Average Response Time",
  "Total Min Response Time",
  "Total Max Response Time",
  "Total Average Content Size",
]);

const FAILURES_CSV_HEADER = csvRow(["Method", "Name", "Error", "Occurrences", "First Seen", "Last Seen"]);

const EXCEPTIONS_CSV_HEADER = csvRow(["Count", "Message", "Traceback", "Nodes"]);

/** `_stats.csv`: every entry sorted by (name, method), then Aggregated. */
export function statsCsv(acc: Accumulator): string {
  let out = STATS_CSV_HEADER;
  for (const entry of [...acc.sortedEntries(), acc.total]) {
    out += csvRow([
      entry.method,
      entry.name,
      ...countAndTimeFields(entry),
      pyFloat(totalRps(entry, acc.total)),
      pyFloat(totalFailPerSec(entry, acc.total)),
      ...percentileFields(entry),
    ]);
  }
  return out;
}

/**
 * One `_stats_history.csv` interval, stamped with the whole second `epoch`: the Aggregated row with
 * current rates and whole-run percentiles; with --csv-full-history a row per entry first, and every
 * row's percentiles those of the current window (Locust's use_current), 0 where it has none.
 */
export function historyCsvRows(acc: Accumulator, epoch: number, userCount: number, fullHistory = false): string {
  let out = "";
  for (const entry of fullHistory ? [...acc.sortedEntries(), acc.total] : [acc.total]) {
    out += csvRow([
      String(Math.trunc(epoch)),
      String(userCount),
      entry.method,
      entry.name,
      pyFixed(currentRps(entry, acc.total), 6), // f"{x:2f}": width 2, six decimals
      pyFixed(currentFailPerSec(entry, acc.total), 6),
      ...(fullHistory ? currentPercentileFields(entry, epoch) : percentileFields(entry)),
      ...countAndTimeFields(entry),
    ]);
  }
  return out;
}

/** `_failures.csv`: errors sorted by key. */
export function failuresCsv(acc: Accumulator): string {
  let out = FAILURES_CSV_HEADER;
  for (const error of acc.sortedErrors()) {
    out += csvRow([
      error.method,
      error.name,
      parseError(error.error),
      String(error.occurrences),
      error.firstSeen === null ? "" : utcTimestamp(error.firstSeen),
      error.lastSeen === null ? "" : utcTimestamp(error.lastSeen),
    ]);
  }
  return out;
}

/** `_exceptions.csv`: task exceptions by traceback, with the nodes that saw them. */
export function exceptionsCsv(acc: Accumulator): string {
  let out = EXCEPTIONS_CSV_HEADER;
  for (const row of acc.exceptions.values()) {
    out += csvRow([String(row.count), row.msg, row.traceback, [...row.nodes].join(", ")]);
  }
  return out;
}

/** util/date.py format_utc_timestamp: whole seconds, `2026-11-30T17:02:03Z`. */
function utcTimestamp(epoch: number): string {
  return `${new Date(Math.trunc(epoch) * 1000).toISOString().slice(0, 19)}Z`;
}

/** StatsError.parse_error: `<Foo object at 0x7f…>` loses its address, so equal errors group. */
function parseError(text: string): string {
  const target = "object at 0x";
  const index = text.indexOf(target);
  if (index < 0) return text;
  const start = index + target.length - 2;
  const end = text.indexOf(">", start);
  if (end < 0) return text;
  return text.replaceAll(text.slice(start, end), "0x....");
}

function percentileFields(entry: MergedEntry): string[] {
  if (entry.numRequests === 0) return PERCENTILE_COLUMNS.map(() => "N/A");
  return PERCENTILES_TO_REPORT.map((p) => String(Math.trunc(responseTimePercentile(entry, p))));
}

function currentPercentileFields(entry: MergedEntry, epoch: number): string[] {
  if (entry.numRequests === 0) return PERCENTILE_COLUMNS.map(() => "N/A");
  return PERCENTILES_TO_REPORT.map((p) => String(Math.trunc(currentResponseTimePercentile(entry, p, epoch) ?? 0)));
}

/** Request and failure counts, median, average, min, max and average content size: both files' columns. */
function countAndTimeFields(entry: MergedEntry): string[] {
  return [
    String(entry.numRequests),
    String(entry.numFailures),
    pyNumber(medianResponseTime(entry)),
    pyFloat(avgResponseTime(entry)),
    pyNumber(entry.minResponseTime || 0),
    pyNumber(entry.maxResponseTime),
    contentLength(entry),
  ];
}

// avg_content_length is Python's int 0 without requests, a float division otherwise.
function contentLength(entry: MergedEntry): string {
  return entry.numRequests === 0 ? "0" : pyFloat(avgContentLength(entry));
}
