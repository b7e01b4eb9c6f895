// The Prometheus text exposition format (version 0.0.4) for `GET /metrics`, as a pure function
// from a snapshot to a string.
import type { RequestTotals } from "./totals.ts";

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Upper bounds of the response-time histogram, seconds (Prometheus' defaults, widened to 60 s). */
const BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60] as const;

export interface MetricsSnapshot {
  readonly requests: readonly RequestTotals[];
  /** Running users by class name. */
  readonly users: Readonly<Record<string, number>>;
  /** Task exceptions since the worker started. */
  readonly exceptions: number;
  readonly cpuSeconds: number;
  readonly residentBytes: number;
  /** HTTP connections the users' clients hold open. */
  readonly openConnections: number;
  /** The open model's iterations dropped for want of a free user, and started late (0 in the closed model). */
  readonly droppedIterations?: number;
  readonly lateIterations?: number;
}

export function formatPrometheus(s: MetricsSnapshot): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  const reqLabels = (r: RequestTotals) => `method="${escapeLabel(r.method)}",name="${escapeLabel(r.name)}"`;

  family("loadworker_requests_total", "counter", "Requests recorded, failures included (Locust's num_requests).");
  for (const r of s.requests) out.push(`loadworker_requests_total{${reqLabels(r)}} ${r.requests}`);
  family("loadworker_failures_total", "counter", "Failed requests (Locust's num_failures).");
  for (const r of s.requests) out.push(`loadworker_failures_total{${reqLabels(r)}} ${r.failures}`);

  family("loadworker_response_time_seconds", "histogram", "Response times of timed requests, from Locust's rounded buckets.");
  for (const r of s.requests) {
    const labels = reqLabels(r);
    const sorted = [...r.buckets.entries()].sort((a, b) => a[0] - b[0]);
    let count = 0;
    let i = 0;
    for (const le of BUCKETS_SECONDS) {
      while (i < sorted.length && (sorted[i]?.[0] ?? 0) / 1000 <= le) count += sorted[i++]?.[1] ?? 0;
      out.push(`loadworker_response_time_seconds_bucket{${labels},le="${le}"} ${count}`);
    }
    while (i < sorted.length) count += sorted[i++]?.[1] ?? 0;
    out.push(`loadworker_response_time_seconds_bucket{${labels},le="+Inf"} ${count}`);
    out.push(`loadworker_response_time_seconds_sum{${labels}} ${number(r.sumMs / 1000)}`);
    out.push(`loadworker_response_time_seconds_count{${labels}} ${count}`);
  }

  family("loadworker_users", "gauge", "Running users by user class.");
  for (const [cls, n] of Object.entries(s.users)) out.push(`loadworker_users{user_class="${escapeLabel(cls)}"} ${n}`);
  family("loadworker_exceptions_total", "counter", "Exceptions thrown by task code.");
  out.push(`loadworker_exceptions_total ${s.exceptions}`);
  family("loadworker_dropped_iterations_total", "counter", "Open-model iterations dropped: no user of the class was free when due.");
  out.push(`loadworker_dropped_iterations_total ${s.droppedIterations ?? 0}`);
  family("loadworker_late_iterations_total", "counter", "Open-model iterations started 100 ms or more after their scheduled time.");
  out.push(`loadworker_late_iterations_total ${s.lateIterations ?? 0}`);
  family("loadworker_open_connections", "gauge", "HTTP connections the users' clients hold open.");
  out.push(`loadworker_open_connections ${s.openConnections}`);
  family("process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.");
  out.push(`process_cpu_seconds_total ${number(s.cpuSeconds)}`);
  family("process_resident_memory_bytes", "gauge", "Resident memory size, bytes.");
  out.push(`process_resident_memory_bytes ${s.residentBytes}`);
  return `${out.join("\n")}\n`;
}

// Label values escape backslash, double quote and newline (exposition format 0.0.4).
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function number(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return String(n);
}
