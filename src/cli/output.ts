// Formatting for --run-tasks: pure functions from results to text, written by the caller.
import type { Recorded, TaskRun } from "../users/run-once.ts";

function formatRecord(task: string, r: Recorded): string {
  const outcome = r.ok ? `ok ${r.length} bytes` : `FAILED ${r.error ?? ""}`;
  return `[${task}] ${r.requestType} ${r.name} ${r.ms.toFixed(1)} ms ${outcome}`;
}

export function printRecord(task: string, r: Recorded): void {
  process.stdout.write(`${formatRecord(task, r)}\n`);
}

/** Prints one line per task; the exit code is 1 when any task threw or recorded a failure. */
export function printSummary(runs: readonly TaskRun[]): number {
  let failed = false;
  for (const run of runs) {
    const failures = run.records.filter((r) => !r.ok).length;
    const parts = [`${run.records.length} recorded`, `${failures} failed`];
    if (run.exception) parts.push(`threw ${run.exception}`);
    if (run.records.length === 0 && !run.exception) parts.push("(the task recorded nothing)");
    process.stdout.write(`${run.task}: ${parts.join(", ")}\n`);
    failed ||= failures > 0 || run.exception !== undefined;
  }
  return failed ? 1 : 0;
}
