// What a child of `run --processes` tells its parent, one JSON line each on its stdout: the same
// stats deltas a worker sends a master (StatsReport, maps as [key, value] pairs), the task
// exceptions of that interval, and its phase; "end" after the last report. Lines without the
// prefix are not ours (a task's console.log) and are passed through by the parent.
import type { EnginePhase } from "../../standalone/load/engine.ts";
import type { StatsEntryReport, StatsReport } from "../../stats/index.ts";

export const LINE_PREFIX = "@loadworker-run ";

export interface ChildException {
  readonly msg: string;
  readonly traceback: string;
  readonly count: number;
}

export type ChildMessage =
  | {
      readonly type: "stats";
      readonly report: StatsReport;
      readonly phase: EnginePhase;
      readonly exceptions: readonly ChildException[];
      /** HTTP connections its users hold open, for the parent's /metrics. */
      readonly connections?: number;
      /** With --iterations: its share of the task runs has ended (the parent ends the run once all have). */
      readonly finished?: boolean;
    }
  | { readonly type: "end" };

type Pairs = [number, number][];

export function encodeChildMessage(message: ChildMessage): string {
  if (message.type === "end") return `${LINE_PREFIX}{"type":"end"}\n`;
  const entry = (e: StatsEntryReport) => ({
    ...e,
    response_times: [...e.response_times],
    num_reqs_per_sec: [...e.num_reqs_per_sec],
    num_fail_per_sec: [...e.num_fail_per_sec],
  });
  const { report } = message;
  const body = { ...message, report: { ...report, stats: report.stats.map(entry), stats_total: entry(report.stats_total) } };
  return `${LINE_PREFIX}${JSON.stringify(body)}\n`;
}

/** A line from a child: its message, null when the line is not one of ours, or an error saying what is wrong. */
export function decodeChildLine(line: string): ChildMessage | null | { error: string } {
  if (!line.startsWith(LINE_PREFIX)) return null;
  let data: unknown;
  try {
    data = JSON.parse(line.slice(LINE_PREFIX.length));
  } catch (error) {
    return { error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const message = data as Record<string, unknown> | null;
  if (message?.type === "end") return { type: "end" };
  if (message?.type !== "stats") return { error: `unknown message type ${JSON.stringify(message?.type)}` };
  const report = message.report as Record<string, unknown> | undefined;
  if (!report || !Array.isArray(report.stats) || typeof report.stats_total !== "object" || !Array.isArray(message.exceptions)) {
    return { error: "a stats message without stats, stats_total or exceptions" };
  }
  const entry = (raw: unknown): StatsEntryReport => {
    const e = raw as Record<string, unknown>;
    const map = (value: unknown) => new Map<number, number>(Array.isArray(value) ? (value as Pairs) : []);
    return {
      ...(e as unknown as StatsEntryReport),
      response_times: map(e.response_times),
      num_reqs_per_sec: map(e.num_reqs_per_sec),
      num_fail_per_sec: map(e.num_fail_per_sec),
    };
  };
  return {
    type: "stats",
    phase: message.phase as EnginePhase,
    exceptions: message.exceptions as ChildException[],
    connections: typeof message.connections === "number" ? message.connections : 0,
    finished: message.finished === true,
    report: { ...(report as unknown as StatsReport), stats: report.stats.map(entry), stats_total: entry(report.stats_total) },
  };
}

/** Splits a byte stream into lines; `push` returns the complete ones (the last partial line waits). */
export function lineSplitter(): { push(chunk: string): string[] } {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      return lines;
    },
  };
}
