// prometheus_client's own text parser (from the test venv; scripts/lib/venv.sh pins it), so /metrics
// is checked by the parser Prometheus users run, not by ours.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { ROOT } from "./procs.ts";

// Always the pinned .venv (scripts/lib/venv.sh installs prometheus_client there), also when
// LOADWORKER_LOCUST_VENV points the tests at another Locust.
const PYTHON = join(ROOT, ".venv", "bin", "python");

export interface Family {
  name: string;
  type: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number | string }>;
}

export function parseWithPrometheusClient(text: string): Family[] {
  if (!existsSync(PYTHON)) throw new Error(`no ${PYTHON}: run scripts/lib/venv.sh (it installs prometheus_client) first`);
  const run = spawnSync(PYTHON, [join(ROOT, "test/peers/parse_metrics.py")], { input: text, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`prometheus_client could not parse the metrics:\n${run.stderr}\n${text}`);
  return JSON.parse(run.stdout) as Family[];
}

/** The value of one sample, by family, sample name and (a subset of) labels. */
export function sampleValue(
  families: Family[],
  family: string,
  name: string,
  labels: Record<string, string> = {},
): number | string | undefined {
  return families
    .find((f) => f.name === family)
    ?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
