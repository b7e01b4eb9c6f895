// Formats bench/http-vs-wrk.sh's raw results (TSV) as a markdown table: the median over rounds of
// requests per generator CPU-second, and its ratio to wrk's median at the same connection count.
// usage: bun bench/table.ts <results.tsv>
import { readFileSync } from "node:fs";
import { groupBy, median, perCpu } from "./lib/stats.ts";

interface Run {
  generator: string;
  conns: number;
  requests: number;
  wall: number;
  cpu: number;
}

const file = process.argv[2] ?? "";
const runs: Run[] = readFileSync(file, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [generator = "", conns, requests, wall, cpu] = line.split("\t");
    return { generator, conns: Number(conns), requests: Number(requests), wall: Number(wall), cpu: Number(cpu) };
  });

const groups = groupBy(runs, (run) => `${run.conns}\t${run.generator}`);

const rows = [
  "| conns | generator | rounds | req/s (wall, median) | CPU s/run (median) | req/CPU-s (median) | min..max req/CPU-s | × wrk |",
  "|---:|---|---:|---:|---:|---:|---|---:|",
];
for (const [key, group] of groups) {
  const [conns, generator] = key.split("\t");
  const wrk = groups.get(`${conns}\twrk`);
  const mine = median(group.map(perCpu));
  const base = wrk === undefined ? 0 : median(wrk.map(perCpu));
  const all = group.map(perCpu);
  rows.push(
    `| ${conns} | ${generator} | ${group.length} | ${median(group.map((r) => r.requests / r.wall)).toFixed(0)} | ${median(group.map((r) => r.cpu)).toFixed(2)} | ` +
      `${mine.toFixed(0)} | ${Math.min(...all).toFixed(0)}..${Math.max(...all).toFixed(0)} | ${base > 0 ? (mine / base).toFixed(2) : "-"} |`,
  );
}
console.log(rows.join("\n"));
