// Formats bench/latency.sh's rows (JSON lines) as markdown: every run, then per generator the
// medians and their ratio to wrk's (the goals of issue 21.5: p99 within 10% of wrk's, p99.9 ≤ 1.5×,
// max ≤ 2×). usage: bun bench/latency/table.ts <rows.jsonl>
import { readFileSync } from "node:fs";
import { groupBy, median } from "../lib/stats.ts";

interface Row {
  generator: string;
  round: number;
  cpu_s: number;
  load1: number;
  server: { answered: number; "late_p99.9_us": number; late_max_us: number };
  latency: { requests: number; errors: number; p50_ms: number; p99_ms: number; "p99.9_ms": number; max_ms: number };
}

const rows: Row[] = readFileSync(process.argv[2] ?? "", "utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Row);
const fmt = (n: number, digits = 1): string => n.toFixed(digits);

const out = [
  "| round | generator | requests | req/CPU-s | p50 ms | p99 ms | p99.9 ms | max ms | server late p99.9 / max ms | load1 |",
  "|---:|---|---:|---:|---:|---:|---:|---:|---|---:|",
];
for (const r of rows) {
  const l = r.latency;
  out.push(
    `| ${r.round} | ${r.generator} | ${l.requests} | ${Math.round(l.requests / r.cpu_s)} | ${fmt(l.p50_ms)} | ${fmt(l.p99_ms)} | ${fmt(l["p99.9_ms"])} | ${fmt(l.max_ms)} | ${fmt(r.server["late_p99.9_us"] / 1000)} / ${fmt(r.server.late_max_us / 1000)} | ${r.load1} |`,
  );
}
const medians = new Map<string, { p99: number; p999: number; max: number }>();
for (const [gen, runs] of groupBy(rows, (r) => r.generator)) {
  medians.set(gen, {
    p99: median(runs.map((r) => r.latency.p99_ms)),
    p999: median(runs.map((r) => r.latency["p99.9_ms"])),
    max: median(runs.map((r) => r.latency.max_ms)),
  });
}
const wrk = medians.get("wrk");
out.push(
  "",
  "| generator | p99 ms (median) | p99.9 ms | max ms | × wrk p99 (goal ≤ 1.1) | × wrk p99.9 (goal ≤ 1.5) | × wrk max (goal ≤ 2) |",
  "|---|---:|---:|---:|---:|---:|---:|",
);
for (const [gen, m] of medians) {
  const ratio = (a: number, b: number | undefined) => (b ? fmt(a / b, 2) : "-");
  out.push(
    `| ${gen} | ${fmt(m.p99)} | ${fmt(m.p999)} | ${fmt(m.max)} | ${ratio(m.p99, wrk?.p99)} | ${ratio(m.p999, wrk?.p999)} | ${ratio(m.max, wrk?.max)} |`,
  );
}
console.log(out.join("\n"));
