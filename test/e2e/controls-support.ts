// Shared by the controls end-to-end tests: the worker built from test/e2e/controls-tasks (once
// per run), its generated master.py, and small readers of the master's web API.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { UiMaster } from "../support/master.ts";
import { ROOT, buildWorker, requireVenv } from "../support/procs.ts";

let build: Promise<string> | undefined;

export function controlsWorker(): Promise<string> {
  requireVenv();
  build ??= buildWorker(join(ROOT, "test/e2e/controls-tasks"), join(ROOT, ".build/loadworker-controls"));
  return build;
}

/** master.py as `loadworker locustfile` writes it: the classes, then master_extra.py verbatim. */
export function controlsMasterPy(bin: string): string {
  return execFileSync(bin, ["locustfile"], { encoding: "utf8" });
}

export interface StatRow {
  method: string;
  name: string;
  num_requests: number;
  num_failures: number;
  current_rps: number;
}

/** The master's request rows (Aggregated left out). */
export async function statRows(master: UiMaster): Promise<StatRow[]> {
  const stats = (await master.stats()) as { stats: StatRow[] };
  return stats.stats.filter((r) => r.name !== "Aggregated");
}
