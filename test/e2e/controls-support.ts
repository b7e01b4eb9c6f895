// Shared by the controls end-to-end tests (their worker: useE2e({ tasks: "test/e2e/controls-tasks" })):
// the generated master.py, and small readers of the master's web API.
import { execFileSync } from "node:child_process";
import type { UiMaster } from "../support/master.ts";

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
