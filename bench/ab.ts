// A/B from bench/http-vs-wrk.sh results run with BASELINE=<dir> and GENERATORS="client baseline":
// each round's client run is divided by the baseline run next to it (same minute, same noise),
// and the table shows the median and spread of those paired ratios per connection count.
// usage: bun bench/ab.ts <results.tsv>...
import { readFileSync } from "node:fs";
import { median, perCpu } from "./lib/stats.ts";

interface Run {
  generator: string;
  conns: number;
  requests: number;
  cpu: number;
}

const ratios = new Map<number, number[]>();
for (const file of process.argv.slice(2)) {
  const runs: Run[] = readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [generator = "", conns, requests, , cpu] = line.split("\t");
      return { generator, conns: Number(conns), requests: Number(requests), cpu: Number(cpu) };
    });
  // Rounds are written in order, client then baseline: pair each client run with the next baseline run.
  for (let i = 0; i + 1 < runs.length; i++) {
    const a = runs[i] as Run,
      b = runs[i + 1] as Run;
    if (a.generator !== "client" || b.generator !== "baseline" || a.conns !== b.conns) continue;
    ratios.set(a.conns, [...(ratios.get(a.conns) ?? []), perCpu(a) / perCpu(b)]);
  }
}
const rows = ["| conns | pairs | client / baseline req/CPU-s (median) | min..max |", "|---:|---:|---:|---|"];
for (const [conns, list] of ratios) {
  rows.push(
    `| ${conns} | ${list.length} | ${median(list).toFixed(3)} | ${Math.min(...list).toFixed(2)}..${Math.max(...list).toFixed(2)} |`,
  );
}
console.log(rows.join("\n"));
