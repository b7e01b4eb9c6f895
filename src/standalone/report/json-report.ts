// `--json FILE`: the whole run as one document (schema: report-schema.json, described in
// docs/RUN-REPORT.md). The HTML report is rendered from this same object.
import type { Accumulator, MergedError } from "../merge/accumulator.ts";
import {
  PERCENTILES_TO_REPORT,
  avgContentLength,
  avgResponseTime,
  failRatio,
  medianResponseTime,
  readablePercentile,
  responseTimePercentile,
  totalFailPerSec,
  totalRps,
} from "../merge/entry-metrics.ts";
import type { HistoryPoint } from "../merge/history.ts";
import type { MergedEntry } from "../merge/merged-entry.ts";
import type { ThresholdResult } from "../merge/threshold-check.ts";
import type { ArrivalOptions } from "../options/arrival.ts";
import type { TaskRatio } from "./task-ratio.ts";

const REPORT_SCHEMA_ID = "urn:loadworker:run-report:1";

export type EndReason = "run-time" | "iterations" | "interrupted" | "threshold-abort" | "process-exited";

export interface RunInfo {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly endedBy: EndReason;
  readonly users: number;
  readonly spawnRate: number;
  readonly runTimeSeconds: number | null;
  readonly host: string | null;
  readonly userClasses: readonly string[];
  readonly processes: number;
  /** The open model's flags; null in the closed model. */
  readonly arrival?: ArrivalOptions | null;
}

export interface EntryJson {
  method: string;
  name: string;
  num_requests: number;
  num_failures: number;
  num_none_requests: number;
  fail_ratio: number;
  avg_response_time: number;
  min_response_time: number;
  max_response_time: number;
  median_response_time: number;
  avg_content_length: number;
  total_rps: number;
  total_fail_per_sec: number;
  percentiles: Record<string, number>;
  response_times: Record<string, number>;
}

export interface RunReport {
  $schema: string;
  started_at: number;
  ended_at: number;
  duration_seconds: number;
  ended_by: EndReason;
  config: {
    users: number;
    spawn_rate: number;
    run_time_seconds: number | null;
    host: string | null;
    user_classes: string[];
    processes: number;
    arrival: { rate: number; stages: Array<{ seconds: number; rate: number }>; max_users: number } | null;
  };
  stats: EntryJson[];
  total: EntryJson;
  errors: Array<{ method: string; name: string; error: string; occurrences: number; first_seen: number | null; last_seen: number | null }>;
  exceptions: Array<{ count: number; msg: string; traceback: string; nodes: string[] }>;
  thresholds: Array<{ expression: string; subject: string; status: ThresholdResult["status"]; measured: number | null }>;
  history: HistoryPoint[];
  /** The open model's misses over the run (0 in the closed model): docs/open-model.md. */
  dropped_iterations: number;
  late_iterations: number;
  /** Locust's "Final ratio": the classes' shares of the users when the run stopped, the tasks' by weight. */
  task_ratio: TaskRatio;
}

export function runReport(
  acc: Accumulator,
  info: RunInfo,
  history: readonly HistoryPoint[],
  thresholds: readonly ThresholdResult[],
  ratio: TaskRatio,
): RunReport {
  return {
    $schema: REPORT_SCHEMA_ID,
    started_at: info.startedAt,
    ended_at: info.endedAt,
    duration_seconds: Math.max(0, info.endedAt - info.startedAt),
    ended_by: info.endedBy,
    config: {
      users: info.users,
      spawn_rate: info.spawnRate,
      run_time_seconds: info.runTimeSeconds,
      host: info.host,
      user_classes: [...info.userClasses],
      processes: info.processes,
      arrival: info.arrival
        ? { rate: info.arrival.rate, stages: info.arrival.stages.map((s) => ({ ...s })), max_users: info.arrival.maxUsers }
        : null,
    },
    stats: acc.sortedEntries().map((e) => entryJson(e, acc.total)),
    total: entryJson(acc.total, acc.total),
    errors: [...acc.errors.values()].map(errorJson),
    exceptions: [...acc.exceptions.values()].map((x) => ({ count: x.count, msg: x.msg, traceback: x.traceback, nodes: [...x.nodes] })),
    thresholds: thresholds.map((r) => ({ expression: r.threshold.text, subject: r.subject, status: r.status, measured: r.measured })),
    history: [...history],
    dropped_iterations: acc.droppedIterations,
    late_iterations: acc.lateIterations,
    task_ratio: ratio,
  };
}

function entryJson(entry: MergedEntry, total: MergedEntry): EntryJson {
  const timed = entry.numRequests > 0;
  return {
    method: entry.method,
    name: entry.name,
    num_requests: entry.numRequests,
    num_failures: entry.numFailures,
    num_none_requests: entry.numNoneRequests,
    fail_ratio: failRatio(entry),
    avg_response_time: avgResponseTime(entry),
    min_response_time: entry.minResponseTime ?? 0,
    max_response_time: entry.maxResponseTime,
    median_response_time: medianResponseTime(entry),
    avg_content_length: avgContentLength(entry),
    total_rps: totalRps(entry, total),
    total_fail_per_sec: totalFailPerSec(entry, total),
    percentiles: timed
      ? Object.fromEntries(PERCENTILES_TO_REPORT.map((p) => [readablePercentile(p), responseTimePercentile(entry, p)]))
      : {},
    response_times: Object.fromEntries([...entry.responseTimes].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
  };
}

function errorJson(error: MergedError): RunReport["errors"][number] {
  return {
    method: error.method,
    name: error.name,
    error: error.error,
    occurrences: error.occurrences,
    first_seen: error.firstSeen,
    last_seen: error.lastSeen,
  };
}
